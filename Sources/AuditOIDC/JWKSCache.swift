import Foundation
import Synchronization

/// The provider's signing keys, fetched from `jwks_uri` when first needed.
///
/// Rotation: a token whose `kid` is not cached triggers ONE re-fetch; if the kid is still unknown
/// the answer is `unknown_kid`. Re-fetches are rate-limited to one per `refetchInterval`, claimed
/// under the lock before fetching, so a flood of tokens with made-up kids costs the provider at
/// most one request per interval however many threads ask at once.
public final class JWKSCache: Sendable {
    private struct State {
        var uri: URL?
        var keys: [JWK]?
        var lastRefetchAt: Date?
        var lastFailureAt: Date?
        var fetches = 0
    }

    private let http: any HTTPClient
    private let clock: @Sendable () -> Date
    private let refetchInterval: TimeInterval
    private let failureBackoff: TimeInterval
    private let timeout: TimeInterval
    private let state = Mutex(State())

    public init(
        http: any HTTPClient, clock: @escaping @Sendable () -> Date = { Date() }, refetchInterval: TimeInterval = 30,
        failureBackoff: TimeInterval = 5, timeout: TimeInterval = 10
    ) {
        self.http = http
        self.clock = clock
        self.refetchInterval = refetchInterval
        self.failureBackoff = failureBackoff
        self.timeout = timeout
    }

    /// How many times the JWKS was requested (for tests and metrics).
    public var fetchCount: Int { state.withLock { $0.fetches } }

    /// The key for a token's `kid`. Without a kid, only a JWKS with exactly one usable key answers:
    /// guessing among several keys would let the token choose.
    public func key(kid: String?, jwksURI: URL) throws(OIDCError) -> JWK {
        let now = clock()
        enum Step {
            case found(JWK)
            case fetch
            case fail(OIDCError)
        }
        let step = state.withLock { state -> Step in
            if state.uri != jwksURI { state = State(uri: jwksURI, fetches: state.fetches) }  // new provider keys
            if let keys = state.keys {
                if let key = Self.select(kid, from: keys) { return .found(key) }
                if let last = state.lastRefetchAt, now.timeIntervalSince(last) < refetchInterval {
                    return .fail(.idToken(.unknownKid, "kid not in JWKS; re-fetch rate-limited"))
                }
                state.lastRefetchAt = now  // claim the one re-fetch before leaving the lock
                return .fetch
            }
            if let failed = state.lastFailureAt, now.timeIntervalSince(failed) < failureBackoff {
                return .fail(OIDCError(.providerUnreachable, detail: "JWKS fetch failed recently"))
            }
            return .fetch
        }
        switch step {
        case .found(let key): return key
        case .fail(let error): throw error
        case .fetch: break
        }
        let keys: [JWK]
        do throws(OIDCError) {
            keys = try fetch(jwksURI)
        } catch {
            state.withLock { $0.lastFailureAt = now }
            throw error
        }
        state.withLock {
            $0.keys = keys
            $0.lastFailureAt = nil
        }
        guard let key = Self.select(kid, from: keys) else {
            throw .idToken(.unknownKid, "kid \(kid.map { $0.debugDescription } ?? "(none)") not in JWKS (\(keys.count) usable keys)")
        }
        return key
    }

    private static func select(_ kid: String?, from keys: [JWK]) -> JWK? {
        guard let kid else { return keys.count == 1 ? keys[0] : nil }
        return keys.first { $0.kid == kid }
    }

    private func fetch(_ uri: URL) throws(OIDCError) -> [JWK] {
        state.withLock { $0.fetches += 1 }
        let response: OutboundResponse
        do {
            response = try http.send(
                OutboundRequest(url: uri, headers: ["Accept": "application/json"], timeout: timeout, followRedirects: true))
        } catch {
            throw OIDCError(.providerUnreachable, detail: "JWKS: \(error)")
        }
        guard response.isSuccess else {
            throw OIDCError(.providerUnreachable, detail: "JWKS answered HTTP \(response.status)")
        }
        guard let keys = JWK.usableKeys(fromJWKS: response.body) else {
            throw OIDCError(.providerUnreachable, subReason: "discovery_invalid", detail: "JWKS is not a JSON key set")
        }
        return keys
    }
}
