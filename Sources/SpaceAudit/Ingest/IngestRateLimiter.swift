import Foundation
import Synchronization

/// Per-token token bucket: each token may send `burst` requests at once and `ratePerSecond`
/// on average. In memory, per instance: several instances behind a load balancer each allow
/// the rate (documented). Buckets of tokens idle for a while are dropped so the map stays small.
final class IngestRateLimiter: Sendable {
    let ratePerSecond: Double
    let burst: Double
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[Int64: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    init(ratePerSecond: Double, burst: Double, clock: @escaping @Sendable () -> Date) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.clock = clock
    }

    /// nil when the request may go ahead (one token taken), else the seconds to wait.
    func acquire(tokenID: Int64) -> Int? {
        let now = clock()
        return buckets.withLock { buckets in
            if buckets.count > 10_000 {
                // A full bucket is the same as no bucket: forget those.
                buckets = buckets.filter { now.timeIntervalSince($0.value.updated) * ratePerSecond + $0.value.tokens < burst }
            }
            var bucket = buckets[tokenID] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * ratePerSecond)
            bucket.updated = now
            defer { buckets[tokenID] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / ratePerSecond).rounded(.up)))
        }
    }
}
