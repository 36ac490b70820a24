import Foundation
import Testing

@testable import AuditHTTP

@Suite struct StaticFilesTests {
    /// root/{index.html, app.js, css/app.css, docs/index.html, escape -> ../secret.txt}, secret.txt beside root.
    static func makeTree() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        let root = base.appendingPathComponent("web")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("css"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "<h1>home</h1>".write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "console.log(1)".write(to: root.appendingPathComponent("app.js"), atomically: true, encoding: .utf8)
        try "body{}".write(to: root.appendingPathComponent("css/app.css"), atomically: true, encoding: .utf8)
        try "docs".write(to: root.appendingPathComponent("docs/index.html"), atomically: true, encoding: .utf8)
        try "SECRET".write(to: base.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try "hidden".write(to: root.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("escape").path, withDestinationPath: "../secret.txt")
        return root
    }

    static func withFiles(_ body: (UInt16) throws -> Void) throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        var router = Router()
        router.get("/static/*", StaticFiles(root: root).handle)
        try withServer(handler: router.handle) { server in try body(server.port) }
    }

    @Test func servesWithContentTypeAndSecurityHeaders() throws {
        try Self.withFiles { (port: UInt16) throws in
            let js = try get(port, "/static/app.js")
            #expect(js.status == 200)
            #expect(js.text == "console.log(1)")
            #expect(js.headers["Content-Type"] == "text/javascript; charset=utf-8")
            #expect(js.headers["Cache-Control"] == "no-cache")
            #expect(js.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
            for name in ServerTests.securityHeaders { #expect(js.headers[name] != nil, "\(name)") }
            #expect(try get(port, "/static/css/app.css").headers["Content-Type"] == "text/css; charset=utf-8")
        }
    }

    @Test func directoriesServeIndexHtml() throws {
        try Self.withFiles { (port: UInt16) throws in
            let root = try get(port, "/static/")
            #expect(root.text == "<h1>home</h1>")
            #expect(root.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(try get(port, "/static/docs").text == "docs")
        }
    }

    @Test(arguments: [
        "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/css/%2E%2E/%2e%2e/secret.txt",
        "/static/..%2fsecret.txt", "/static/%2fetc%2fpasswd", "/static//etc/passwd", "/static/escape",
        "/static/.env", "/static/missing.js", "/static/css/app.css/x",
    ])
    func outsideOrHiddenIs404(_ target: String) throws {
        try Self.withFiles { (port: UInt16) throws in
            let response = try get(port, target)
            #expect(response.status == 404, "\(target)")
            #expect(!response.text.contains("SECRET"))
            #expect(!response.text.contains("root:"))
        }
    }

    @Test func etagRevalidationGives304() throws {
        try Self.withFiles { (port: UInt16) throws in
            let first = try get(port, "/static/app.js")
            let etag = try #require(first.headers["ETag"])
            let again = try get(port, "/static/app.js", headers: "If-None-Match: \"other\", \(etag)\r\n")
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["ETag"] == etag)
            #expect(again.headers["Content-Security-Policy"] != nil)
            #expect(try get(port, "/static/app.js", headers: "If-None-Match: \"other\"\r\n").status == 200)
            let since = try #require(first.headers["Last-Modified"])
            #expect(try get(port, "/static/app.js", headers: "If-Modified-Since: \(since)\r\n").status == 304)
        }
    }
}
