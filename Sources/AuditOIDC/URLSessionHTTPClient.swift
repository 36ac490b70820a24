import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPClient` over URLSession (FoundationNetworking on Linux), bridged to the blocking API with
/// a semaphore. Delegate-driven rather than completion-handler-driven so that it can (1) refuse
/// redirects per request and (2) stop reading once a response exceeds `maxResponseBytes`, instead
/// of buffering whatever a broken or hostile endpoint sends.
public final class URLSessionHTTPClient: HTTPClient {
    public let maxResponseBytes: Int
    private let session: URLSession
    private let registry: TaskRegistry

    public init(maxResponseBytes: Int = 1 << 20) {
        self.maxResponseBytes = maxResponseBytes
        let configuration = URLSessionConfiguration.ephemeral
        // No cookies and no cache: each call stands alone, nothing from a provider is persisted.
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        registry = TaskRegistry()
        session = URLSession(configuration: configuration, delegate: registry, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    public func send(_ request: OutboundRequest) throws -> OutboundResponse {
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }

        let task = session.dataTask(with: urlRequest)
        let exchange = Exchange(limit: maxResponseBytes, followRedirects: request.followRedirects)
        registry.add(task.taskIdentifier, exchange)
        defer { registry.remove(task.taskIdentifier) }
        task.resume()
        // URLRequest's timeout is an idle timeout; the semaphore makes it a whole-request deadline.
        if exchange.done.wait(timeout: .now() + request.timeout) == .timedOut {
            task.cancel()
            throw HTTPClientError(.timeout, "\(request.method) \(Self.redacted(request.url)) exceeded \(request.timeout)s")
        }
        return try exchange.outcome(for: request)
    }

    /// URLs in errors lose their query: it could hold a code or token in a future caller.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.query = nil
        components.user = nil
        components.password = nil
        return components.string ?? "<url>"
    }
}

/// One in-flight request's state, filled by delegate callbacks, read by the waiting thread.
private final class Exchange: Sendable {
    struct State {
        var status = 0
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        var tooLarge = false
        var error: (any Error)?
    }

    let limit: Int
    let followRedirects: Bool
    let done = DispatchSemaphore(value: 0)
    let state = Mutex(State())

    init(limit: Int, followRedirects: Bool) {
        self.limit = limit
        self.followRedirects = followRedirects
    }

    func outcome(for request: OutboundRequest) throws -> OutboundResponse {
        let snapshot = state.withLock { ($0.status, $0.headers, $0.body, $0.tooLarge, $0.error.map { "\($0)" }) }
        let where_ = "\(request.method) \(URLSessionHTTPClient.redacted(request.url))"
        if snapshot.3 { throw HTTPClientError(.responseTooLarge, "\(where_): body over \(limit) bytes") }
        if let error = snapshot.4 { throw HTTPClientError(.transport, "\(where_): \(error)") }
        return OutboundResponse(status: snapshot.0, headers: snapshot.1, body: snapshot.2)
    }
}

/// The session delegate. `@unchecked Sendable`: NSObject is not Sendable on Linux; all mutable
/// state sits behind the Mutex.
private final class TaskRegistry: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let exchanges = Mutex([Int: Exchange]())

    func add(_ id: Int, _ exchange: Exchange) { exchanges.withLock { $0[id] = exchange } }
    func remove(_ id: Int) { _ = exchanges.withLock { $0.removeValue(forKey: id) } }
    private func exchange(_ task: URLSessionTask) -> Exchange? {
        exchanges.withLock { $0[task.taskIdentifier] }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let exchange = exchange(dataTask), let http = response as? HTTPURLResponse else {
            completionHandler(.cancel)
            return
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        let declared = Int(headers["content-length"] ?? "") ?? 0
        exchange.state.withLock {
            $0.status = http.statusCode
            $0.headers = headers
            $0.tooLarge = declared > exchange.limit
        }
        completionHandler(declared > exchange.limit ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let exchange = exchange(dataTask) else { return }
        let over = exchange.state.withLock { state -> Bool in
            state.body.append(contentsOf: data)
            if state.body.count > exchange.limit {
                state.tooLarge = true
                state.body = []
            }
            return state.tooLarge
        }
        if over { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        // nil = do not follow; the 3xx itself becomes the response.
        completionHandler(exchange(task)?.followRedirects == true ? request : nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let exchange = exchange(task) else { return }
        exchange.state.withLock { state in
            if let error, !state.tooLarge { state.error = error }
        }
        exchange.done.signal()
    }
}
