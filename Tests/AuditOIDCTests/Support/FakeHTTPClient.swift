import AuditOIDC
import Foundation
import Synchronization

/// An in-memory `HTTPClient`: handlers keyed by "METHOD url-without-query", and a log of requests.
final class FakeHTTPClient: HTTPClient {
    typealias Handler = @Sendable (OutboundRequest) throws -> OutboundResponse

    private let routes = Mutex([String: Handler]())
    private let log = Mutex([OutboundRequest]())

    func on(_ method: String, _ url: String, _ handler: @escaping Handler) {
        routes.withLock { $0["\(method) \(url)"] = handler }
    }

    func onJSON(_ method: String, _ url: String, status: Int = 200, _ body: @escaping @Sendable () -> Any) {
        on(method, url) { _ in
            OutboundResponse(
                status: status, headers: ["Content-Type": "application/json"],
                body: Array(try JSONSerialization.data(withJSONObject: body())))
        }
    }

    var requests: [OutboundRequest] { log.withLock { $0 } }

    func count(_ method: String, _ url: String) -> Int {
        requests.filter { $0.method == method && Self.key($0.url) == url }.count
    }

    static func key(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.query = nil
        return components.string!
    }

    func send(_ request: OutboundRequest) throws -> OutboundResponse {
        log.withLock { $0.append(request) }
        guard let handler = routes.withLock({ $0["\(request.method) \(Self.key(request.url))"] }) else {
            throw HTTPClientError(.transport, "connection refused (no fake route)")
        }
        return try handler(request)
    }
}

/// A settable clock for expiry and rate-limit tests.
final class TestClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_767_225_600))
    var date: Date { now.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    var function: @Sendable () -> Date { { self.date } }
}

/// A lock-protected value for test fixtures holding non-Sendable JSON (`Any`).
/// `@unchecked Sendable`: every access goes through the lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
