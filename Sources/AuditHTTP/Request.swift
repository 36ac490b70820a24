/// One HTTP request, fully read, as a value.
///
/// Built by the server once the whole body is in (or by tests, from a request target),
/// so handlers are plain functions of a value and routes can be tested without a socket.
public struct Request: Sendable {
    /// Upper-case method as sent (`GET`, `POST`, ...).
    public var method: String
    /// Percent-decoded path without the query, e.g. `/api/v1/spaces/a b`.
    public var path: String
    /// The path exactly as sent (still percent-encoded); the router splits this one so an
    /// encoded `/` (`%2F`) stays inside its segment.
    public var rawPath: String
    /// The query exactly as sent, without `?`; empty when absent.
    public var rawQuery: String
    /// Decoded query parameters: every value per name, in order.
    public var queryParameters: [String: [String]]
    public var headers: HTTPHeaders
    /// Cookies from the `Cookie` header(s); the first value wins for a repeated name.
    public var cookies: [String: String]
    public var body: [UInt8]
    /// Peer IP address as text, empty if unknown.
    public var remoteAddress: String
    /// Filled by the router: `:name` segments, and `*` for a trailing wildcard.
    public var pathParameters: [String: String] = [:]

    /// Parses `target` (`/path?query`). Throws a 400 `HTTPError` for a target that is not
    /// origin-form or has bad percent-encoding.
    public init(
        method: String, target: String, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String = ""
    ) throws(HTTPError) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? ""
        guard rawPath.hasPrefix("/"), let path = PercentDecoding.decode(rawPath[...]) else {
            throw HTTPError.badRequest("The request target is malformed.")
        }
        self.method = method
        self.rawPath = rawPath
        self.path = path
        self.rawQuery = parts.count > 1 ? String(parts[1]) : ""
        self.queryParameters = try Self.parseQuery(rawQuery)
        self.headers = headers
        self.cookies = Self.parseCookies(headers.values(for: "Cookie"))
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// First value of query parameter `name`.
    public func query(_ name: String) -> String? { queryParameters[name]?.first }

    /// First value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name] }

    public func cookie(_ name: String) -> String? { cookies[name] }

    /// The body as UTF-8 text, nil if it is not valid UTF-8.
    public var bodyText: String? { String(validating: body, as: UTF8.self) }

    static func parseQuery(_ raw: String) throws(HTTPError) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in raw.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(kv[0], plusAsSpace: true),
                let value = PercentDecoding.decode(kv.count > 1 ? kv[1] : "", plusAsSpace: true)
            else { throw HTTPError.badRequest("The query string is malformed.") }
            result[name, default: []].append(value)
        }
        return result
    }

    /// RFC 6265 §5.4 shape: `a=1; b=2`. Values are not decoded (cookies are opaque tokens);
    /// surrounding double quotes are removed. Malformed pairs are skipped, not fatal.
    static func parseCookies(_ fields: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for field in fields {
            for pair in field.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard kv.count == 2 else { continue }
                let name = kv[0].trimmingSpaces()
                var value = kv[1].trimmingSpaces()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = value.dropFirst().dropLast()
                }
                if !name.isEmpty, result[String(name)] == nil { result[String(name)] = String(value) }
            }
        }
        return result
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
