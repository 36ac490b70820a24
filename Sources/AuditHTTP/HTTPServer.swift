import Synchronization

/// An HTTP/1.1 server over libmicrohttpd running one `Handler` (usually `router.handle`).
///
/// Every response it produces — handler results, errors, static files — carries the
/// security headers from `ServerConfig`. Malformed requests answer 400 before any handler
/// runs; some (garbled request line or header syntax) are answered by libmicrohttpd itself,
/// without our headers.
public final class HTTPServer: Sendable {
    public let config: ServerConfig
    private let core: ServerCore
    private let state = Mutex<(server: MicroHTTPDServer?, port: UInt16)>((nil, 0))

    public init(config: ServerConfig = ServerConfig(), logger: ServerLogger = .standardError, handler: @escaping Handler) {
        self.config = config
        self.core = ServerCore(config: config, logger: logger, handler: handler)
    }

    /// Binds and starts serving on background threads; returns at once.
    public func start() throws(ServerError) {
        try state.withLock { (state) throws(ServerError) in
            guard state.server == nil else { throw ServerError("the server is already running") }
            let server = MicroHTTPDServer(core: core)
            state.port = try server.start()
            state.server = server
        }
    }

    /// The bound port (the ephemeral one when `config.port` is 0); 0 before `start()`.
    public var port: UInt16 { state.withLock { $0.port } }

    /// Requests between their first line and their completion (for tests and health).
    var inFlightRequests: Int {
        state.withLock { $0.server?.context.inFlight.load(ordering: .relaxed) ?? 0 }
    }

    /// Graceful stop: stop accepting at once, let in-flight requests finish for up to
    /// `deadline`, then close every connection. Responses sent meanwhile carry
    /// `Connection: close`.
    public func stop(deadline: Duration = .seconds(10)) {
        let server = state.withLock { state in
            defer { state = (nil, 0) }
            return state.server
        }
        server?.stop(deadline: deadline)
    }

    deinit { stop(deadline: .zero) }
}
