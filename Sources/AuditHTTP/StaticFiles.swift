import Foundation

/// Serves files below one root folder, e.g. `router.get("/static/*", files.handle)`.
///
/// Everything that is not a readable regular file inside `root` — `..`, `.`-prefixed names
/// (`.git`, `.env`), absolute paths, encoded variants (the router decodes `%2e%2e` to `..`
/// before we check) and symlinks resolving outside the root — answers the same 404, so
/// probing reveals nothing. Revalidation: strong ETag from size + mtime, Last-Modified,
/// 304 for If-None-Match / If-Modified-Since.
public struct StaticFiles: Sendable {
    public let root: URL
    /// Sent on 200 and 304. `no-cache` means "revalidate each time", which the ETag makes
    /// cheap and which never serves a stale app.js after a deploy.
    public var cacheControl: String
    private let realRoot: String

    public init(root: URL, cacheControl: String = "no-cache") {
        self.root = root
        self.cacheControl = cacheControl
        self.realRoot = Self.realPath(root.path) ?? root.path
    }

    /// Route handler: serves `pathParameters["*"]` (or the whole path when unrouted).
    public func handle(_ request: Request) throws -> Response {
        let relative = request.pathParameters["*"] ?? String(request.path.dropFirst())
        return try serve(relative, request: request)
    }

    public func serve(_ relative: String, request: Request) throws -> Response {
        guard let file = resolve(relative) else { throw HTTPError.notFound() }
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw HTTPError.notFound()
        }
        let mtime = Date(
            timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        let etag =
            "\"\(String(info.st_size, radix: 16))-\(String(info.st_mtim.tv_sec, radix: 16))"
            + "\(String(info.st_mtim.tv_nsec, radix: 16))\""
        var headers = HTTPHeaders()
        headers.set("ETag", etag)
        headers.set("Last-Modified", HTTPDate.format(mtime))
        headers.set("Cache-Control", cacheControl)

        if Self.notModified(request, etag: etag, mtime: mtime) {
            return Response(status: 304, headers: headers)
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw HTTPError.notFound() }
        headers.set("Content-Type", Self.contentType(for: file))
        return Response(status: 200, headers: headers, body: .bytes(Array(data)))
    }

    /// The real path of the file to serve, or nil if the request may not see it.
    func resolve(_ relative: String) -> String? {
        if relative.hasPrefix("/") || relative.contains("\\") || relative.contains("\0") { return nil }
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            if segment.hasPrefix(".") { return nil }  // also "..", "."
            if segment.isEmpty && index != segments.count - 1 { return nil }  // "a//b"
        }
        guard var real = Self.realPath(realRoot + "/" + relative), inside(real) else { return nil }
        var info = stat()
        if stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            guard let index = Self.realPath(real + "/index.html"), inside(index) else { return nil }
            real = index
        }
        return real
    }

    private func inside(_ path: String) -> Bool {
        path == realRoot || path.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/")
    }

    static func notModified(_ request: Request, etag: String, mtime: Date) -> Bool {
        if let match = request.header("If-None-Match") {
            return match.split(separator: ",").contains { candidate in
                var tag = candidate.trimmingSpaces()
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                return tag == "*" || tag == etag
            }
        }
        if let since = request.header("If-Modified-Since").flatMap(HTTPDate.parse) {
            return mtime.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
        }
        return false
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "json": "application/json; charset=utf-8",
        "ico": "image/x-icon", "txt": "text/plain; charset=utf-8", "woff2": "font/woff2",
    ]

    static func contentType(for path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return contentTypes[ext] ?? "application/octet-stream"
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
