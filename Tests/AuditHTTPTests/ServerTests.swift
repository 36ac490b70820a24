import Foundation
import Synchronization
import Testing

@testable import AuditHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct Boom: Error { var secret = "password=hunter2" }

/// Over a real socket on 127.0.0.1.
@Suite struct ServerTests {
    static func router(calls: Recorder<String>? = nil) -> Router {
        var router = Router()
        router.get("/api/v1/spaces/:owner/:name") { request in
            calls?.append(request.path)
            return try .json(["owner": request.pathParameters["owner"]!, "name": request.pathParameters["name"]!])
        }
        router.post("/echo") { request in
            Response(status: 201, headers: HTTPHeaders([("Content-Type", "application/octet-stream")]), body: .bytes(request.body))
        }
        router.get("/boom") { _ in throw Boom() }
        router.get("/teapot") { _ in throw HTTPError(status: 418, code: "teapot", message: "I am a <teapot>.") }
        router.get("/whoami") { request in .text("\(request.remoteAddress) \(request.query("q") ?? "-")") }
        return router
    }

    static let securityHeaders = ["X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy"]

    @Test func routesWithPathParameters() throws {
        try withServer(handler: Self.router().handle) { server in
            let response = try get(server.port, "/api/v1/spaces/alice/my%20space")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
            #expect(response.text == #"{"name":"my space","owner":"alice"}"#)
            #expect(try get(server.port, "/whoami?q=x%20y").text == "127.0.0.1 x y")
        }
    }

    @Test func unknownPathIs404JSONWithSecurityHeaders() throws {
        try withServer(handler: Self.router().handle) { server in
            let response = try get(server.port, "/missing")
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            for name in Self.securityHeaders { #expect(response.headers[name] != nil, "\(name)") }
            #expect(response.headers["X-Frame-Options"] == nil)
            let ok = try get(server.port, "/api/v1/spaces/a/b")
            #expect(ok.headers["Content-Security-Policy"]?.contains("frame-ancestors 'self' https://huggingface.co") == true)
            #expect(ok.headers["Referrer-Policy"] == "no-referrer")
            #expect(ok.headers["X-Content-Type-Options"] == "nosniff")
        }
    }

    @Test func wrongMethodIs405WithAllow() throws {
        try withServer(handler: Self.router().handle) { server in
            let response = try exchange(server.port, "DELETE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.status == 405)
            #expect(response.headers["Allow"] == "POST")
            #expect(response.errorCode == "method_not_allowed")
        }
    }

    @Test func httpErrorRendersItsJSONShape() throws {
        try withServer(handler: Self.router().handle) { server in
            let response = try get(server.port, "/teapot")
            #expect(response.status == 418)
            #expect(response.text == #"{"error":{"code":"teapot","message":"I am a \u003cteapot>."}}"#)
        }
    }

    @Test func otherErrorsBecomeGeneric500AndAreLogged() throws {
        let errors = Recorder<String>()
        let logger = ServerLogger(error: { errors.append($0) }, request: { _ in })
        try withServer(logger: logger, handler: Self.router().handle) { server in
            let response = try get(server.port, "/boom")
            #expect(response.status == 500)
            #expect(response.text == #"{"error":{"code":"internal_error","message":"An internal error occurred."}}"#)
            #expect(!response.text.contains("hunter2"))
            #expect(errors.all.contains { $0.contains("hunter2") })  // detail goes to the log only
        }
    }

    @Test func bodyIsCollectedAcrossCallsAndKeepAliveWorks() throws {
        try withServer(handler: Self.router().handle) { server in
            let connection = try RawConnection(port: server.port)
            let payload = String(repeating: "0123456789", count: 20_000)  // 200 KB: many MHD calls
            connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(payload.utf8.count)\r\n\r\n\(payload)")
            let first = try connection.readResponse()
            #expect(first.status == 201)
            #expect(first.text == payload)
            connection.send("GET /api/v1/spaces/a/b HTTP/1.1\r\nHost: x\r\n\r\n")
            let second = try connection.readResponse()
            #expect(second.status == 200)
            #expect(second.text == #"{"name":"b","owner":"a"}"#)
        }
    }

    @Test func chunkedUploadIsCollected() throws {
        try withServer(handler: Self.router().handle) { server in
            let response = try exchange(
                server.port,
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            #expect(response.status == 201)
            #expect(response.text == "hello world")
        }
    }

    @Test func headAnswersLikeGetWithoutBody() throws {
        try withServer(handler: Self.router().handle) { server in
            let connection = try RawConnection(port: server.port)
            connection.send("HEAD /api/v1/spaces/a/b HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try connection.readResponse(head: true)
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == "24")
            // No body bytes were sent: the next response on the connection parses cleanly.
            connection.send("GET /api/v1/spaces/a/b HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().text == #"{"name":"b","owner":"a"}"#)
        }
    }

    @Test func hundredConcurrentRequestsAllSucceed() throws {
        try withServer(handler: Self.router().handle) { server in
            let port = server.port
            let statuses = Recorder<Int>()
            DispatchQueue.concurrentPerform(iterations: 100) { i in
                let status = (try? get(port, "/api/v1/spaces/u\(i)/n"))?.status ?? -1
                statuses.append(status)
            }
            #expect(statuses.all.count == 100)
            #expect(statuses.all.allSatisfy { $0 == 200 })
        }
    }

    @Test func urlSessionClientWorks() async throws {
        let server = HTTPServer(config: ServerConfig(), logger: .silent, handler: Self.router().handle)
        try server.start()
        defer { server.stop(deadline: .seconds(1)) }
        let url = URL(string: "http://127.0.0.1:\(server.port)/api/v1/spaces/x/y")!
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == #"{"name":"y","owner":"x"}"#)
    }

    @Test func requestLogHasNoQueryString() throws {
        let logs = Recorder<RequestLog>()
        let logger = ServerLogger(error: { _ in }, request: { logs.append($0) })
        try withServer(logger: logger, handler: Self.router().handle) { server in
            _ = try get(server.port, "/whoami?token=secret", headers: "Cookie: s=secret\r\n")
            _ = try get(server.port, "/missing")
            // The completion callback runs right after the response is written.
            for _ in 0..<200 where logs.all.count < 2 { usleep(5_000) }
            let entries = logs.all.sorted { $0.path < $1.path }
            #expect(entries.map(\.path) == ["/missing", "/whoami"])
            #expect(entries.map(\.status) == [404, 200])
            #expect(entries.allSatisfy { $0.method == "GET" && $0.duration >= .zero })
        }
    }
}
