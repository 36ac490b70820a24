import Synchronization

/// An HTTP/1.1 server over libmicrohttpd running one `Handler` (usually `router.handle`).
///
/// Every response it produces — handler results, errors, static files — carries the
/// security headers from `ServerConfig`. Who answers what, before any handler runs
/// (checked against libmicrohttpd 0.9.75 in LimitTests):
/// - ours, JSON body: 400 bad percent-encoding / non-origin-form target / invalid header
///   name / HTTP/1.1 without exactly one Host; 413 body over the limit
///   (by Content-Length at once, or while collecting a chunked body); 414 target over
///   `maxURILength`; 431 over `maxHeaderCount` or `maxHeaderBytes`.
/// - libmicrohttpd's own (HTML body, no security headers): 400 for a request line with
///   extra parts, a header line without a colon or a non-numeric Content-Length; 414/431 when the request does not fit
///   the connection memory pool at all. A request line without any space gets no answer:
///   MHD closes the connection.
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
