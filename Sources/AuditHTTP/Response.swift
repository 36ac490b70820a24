import Foundation

/// What a handler returns: status, headers and a body that is either bytes or a stream.
public struct Response: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Sent with chunked transfer encoding (HTTP/1.1); length unknown up front.
        case stream(BodyStream)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// JSON with sorted keys and ISO 8601 dates, so output is stable and diffable.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]),
            body: .bytes(Array(data)))
    }

    public static func text(_ text: String, status: Int = 200) -> Response {
        Response(
            status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
            body: .bytes(Array(text.utf8)))
    }

    public static func html(_ html: String, status: Int = 200) -> Response {
        Response(
            status: status, headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8")]),
            body: .bytes(Array(html.utf8)))
    }

    /// `status` is 302 (default), 303 (after a POST) or 307/308. The location is used as
    /// given: validating redirect targets is the caller's job (open redirects).
    public static func redirect(to location: String, status: Int = 302) -> Response {
        precondition([301, 302, 303, 307, 308].contains(status), "not a redirect status: \(status)")
        return Response(status: status, headers: HTTPHeaders([("Location", location)]))
    }

    /// A streamed body with the given content type.
    public static func stream(
        _ stream: BodyStream, contentType: String, status: Int = 200
    ) -> Response {
        Response(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: .stream(stream))
    }

    /// Adds a `Set-Cookie` field.
    public mutating func setCookie(_ cookie: Cookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }

    /// Builder form of `setCookie(_:)`.
    public func settingCookie(_ cookie: Cookie) -> Response {
        var copy = self
        copy.setCookie(cookie)
        return copy
    }

    public func withHeader(_ name: String, _ value: String) -> Response {
        var copy = self
        copy.headers.set(name, value)
        return copy
    }
}
