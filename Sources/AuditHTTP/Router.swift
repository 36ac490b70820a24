/// A request handler. Synchronous on purpose: the server runs it on the connection's own
/// OS thread (see MicroHTTPDServer.swift), so it may block, e.g. on libpq.
public typealias Handler = @Sendable (Request) throws -> Response

/// Maps method + path patterns to handlers.
///
/// A value type: build it with `get`/`post`/`add`, then hand `router.handle` to the server;
/// the copy captured there can no longer change ("built then frozen").
///
/// Patterns: literal segments (`/api/v1/health`), parameters (`/spaces/:owner/:name`) and a
/// trailing wildcard (`/static/*`, captured as `pathParameters["*"]`). When several patterns
/// match, the most specific wins segment by segment: literal, then parameter, then wildcard.
/// Segments are split on the raw path and decoded one by one, so `%2F` stays in its segment.
public struct Router: Sendable {
    struct Route: Sendable {
        var method: String
        var pattern: [Segment]
        var maxBodyBytes: Int?
        var handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard

        var rank: Int {
            switch self {
            case .literal: 0
            case .parameter: 1
            case .wildcard: 2
            }
        }
    }

    private var routes: [Route] = []

    public init() {}

    /// Registers `handler`. `maxBodyBytes` can only lower the server-wide body limit (which
    /// is enforced while the body is read); a larger body than this gets a 413.
    public mutating func add(
        method: String, path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler
    ) {
        let pattern = Self.compile(path)
        let method = method.uppercased()
        precondition(
            !routes.contains { $0.method == method && $0.pattern == pattern },
            "duplicate route \(method) \(path)")
        routes.append(Route(method: method, pattern: pattern, maxBodyBytes: maxBodyBytes, handler: handler))
    }

    public mutating func get(_ path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(method: "GET", path: path, maxBodyBytes: maxBodyBytes, handler)
    }
    public mutating func post(_ path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(method: "POST", path: path, maxBodyBytes: maxBodyBytes, handler)
    }
    public mutating func put(_ path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(method: "PUT", path: path, maxBodyBytes: maxBodyBytes, handler)
    }
    public mutating func patch(_ path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(method: "PATCH", path: path, maxBodyBytes: maxBodyBytes, handler)
    }
    public mutating func delete(_ path: String, maxBodyBytes: Int? = nil, _ handler: @escaping Handler) {
        add(method: "DELETE", path: path, maxBodyBytes: maxBodyBytes, handler)
    }

    /// Dispatches `request`: 404 for an unknown path, 405 with `Allow` for a known path and
    /// another method. HEAD falls back to GET (the server drops the body).
    public func handle(_ request: Request) throws -> Response {
        guard let segments = Self.split(request.rawPath) else {
            throw HTTPError.badRequest("The request path is malformed.")
        }
        var candidates: [(route: Route, params: [String: String])] = []
        for route in routes {
            if let params = Self.match(route.pattern, segments) { candidates.append((route, params)) }
        }
        guard !candidates.isEmpty else { throw HTTPError.notFound() }
        candidates.sort { Self.moreSpecific($0.route.pattern, than: $1.route.pattern) }

        let wanted = request.method == "HEAD" ? ["HEAD", "GET"] : [request.method]
        for method in wanted {
            if let hit = candidates.first(where: { $0.route.method == method }) {
                if let limit = hit.route.maxBodyBytes, request.body.count > limit {
                    throw HTTPError.payloadTooLarge(limit: limit)
                }
                var routed = request
                routed.pathParameters = hit.params
                return try hit.route.handler(routed)
            }
        }
        var allow = Set(candidates.map(\.route.method))
        if allow.contains("GET") { allow.insert("HEAD") }
        throw HTTPError.methodNotAllowed(allow: allow.sorted())
    }

    static func compile(_ path: String) -> [Segment] {
        precondition(path.hasPrefix("/"), "route paths start with /: \(path)")
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            if part == "*" {
                precondition(index == parts.count - 1, "* must be the last segment: \(path)")
                return .wildcard
            }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    /// Raw path → decoded segments; nil on bad percent-encoding.
    static func split(_ rawPath: String) -> [String]? {
        var segments: [String] = []
        for part in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = PercentDecoding.decode(part) else { return nil }
            segments.append(decoded)
        }
        return segments
    }

    static func match(_ pattern: [Segment], _ segments: [String]) -> [String: String]? {
        var params: [String: String] = [:]
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .wildcard:
                params["*"] = segments[index...].joined(separator: "/")
                return params
            case .literal(let text):
                guard index < segments.count, segments[index] == text else { return nil }
            case .parameter(let name):
                guard index < segments.count, !segments[index].isEmpty else { return nil }
                params[name] = segments[index]
            }
        }
        return pattern.count == segments.count ? params : nil
    }

    static func moreSpecific(_ a: [Segment], than b: [Segment]) -> Bool {
        for (x, y) in zip(a, b) where x.rank != y.rank { return x.rank < y.rank }
        return a.count > b.count
    }
}
