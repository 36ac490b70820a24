/// The server's HTTP rules in plain Swift, kept apart from the libmicrohttpd glue so they
/// read (and can be tested) without C: limit checks, request assembly, error mapping,
/// security headers.
struct ServerCore: Sendable {
    let config: ServerConfig
    let logger: ServerLogger
    let handler: Handler
    let securityHeaders: [(String, String)]

    init(config: ServerConfig, logger: ServerLogger, handler: @escaping Handler) {
        self.config = config
        self.logger = logger
        self.handler = handler
        // no-referrer: the dashboard links out only to Hugging Face and the OpenID provider,
        // neither needs to know which page (or which query) the user came from.
        self.securityHeaders = [
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Content-Security-Policy", config.contentSecurityPolicy),
        ]
    }

    /// Checks made once the headers are in, before any body is read.
    func checkHead(uriLength: Int, version: String, headers: HTTPHeaders) -> HTTPError? {
        if uriLength > config.maxURILength { return .uriTooLong }
        // RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400 (MHD lets it through).
        if version == "HTTP/1.1", headers.values(for: "Host").count != 1 {
            return .badRequest("The Host header is missing or repeated.")
        }
        if headers.count > config.maxHeaderCount { return .headersTooLarge }
        let bytes = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if bytes > config.maxHeaderBytes { return .headersTooLarge }
        for field in headers where !Self.isValidField(field.name, field.value) {
            return .badRequest("A request header is malformed.")
        }
        if let length = headers["Content-Length"] {
            guard let value = Int(length), value >= 0 else { return .badRequest() }
            if value > config.maxBodyBytes { return .payloadTooLarge(limit: config.maxBodyBytes) }
        }
        return nil
    }

    /// Runs the handler for a fully read request; never throws.
    func respond(method: String, target: String, headers: HTTPHeaders, body: [UInt8], remoteAddress: String)
        -> Response
    {
        let response: Response
        do {
            let request = try Request(
                method: method, target: target, headers: headers, body: body, remoteAddress: remoteAddress)
            response = try handler(request)
        } catch let error as HTTPError {
            response = error.response
        } catch {
            // The client gets the generic message only; the detail goes to the log.
            logger.error("\(method) \(Self.pathForLog(target)): \(String(reflecting: error))")
            response = HTTPError.internalError.response
        }
        var finished = finish(response)
        // HEAD: MHD omits a buffer body by itself but would still write the chunked
        // terminator of a stream (seen with 0.9.75), corrupting keep-alive; never stream.
        if method == "HEAD", case .stream = finished.body { finished.body = .bytes([]) }
        return finished
    }

    /// Adds the security headers (unless the handler chose its own) and refuses header
    /// fields that would split the response.
    func finish(_ response: Response) -> Response {
        var response = response
        for field in response.headers where !Self.isValidField(field.name, field.value) {
            logger.error("handler produced an invalid header field \(JSONText.quote(field.name))")
            response = HTTPError.internalError.response
            break
        }
        for (name, value) in securityHeaders where !response.headers.contains(name) {
            response.headers.add(name, value)
        }
        return response
    }

    /// Path only: query strings carry tokens and never reach a log.
    static func pathForLog(_ target: String) -> String {
        String(target.prefix { $0 != "?" }.prefix(512))
    }

    static func isValidField(_ name: String, _ value: String) -> Bool {
        Cookie.isToken(name) && !value.utf8.contains { $0 == 0 || $0 == 10 || $0 == 13 }
    }
}
