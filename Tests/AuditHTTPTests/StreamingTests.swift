import Foundation
import Synchronization
import Testing

@testable import AuditHTTP

@Suite struct StreamingTests {
    /// 5 MB in 80 chunks of 64 KiB with a recognisable pattern.
    static func chunks() -> [[UInt8]] {
        (0..<80).map { i in (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
    }

    @Test func fiveMegabytesArriveIntactChunked() throws {
        let chunks = Self.chunks()
        var router = Router()
        router.get("/export") { _ in .stream(BodyStream(chunks), contentType: "application/x-ndjson") }
        try withServer(handler: router.handle) { server in
            let connection = try RawConnection(port: server.port)
            connection.send("GET /export HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.chunked)
            #expect(response.headers["Content-Length"] == nil)
            #expect(response.headers["Content-Type"] == "application/x-ndjson")
            #expect(response.headers["X-Content-Type-Options"] == "nosniff")
            #expect(response.body.count == 80 * 65536)
            #expect(response.body == chunks.flatMap { $0 })
            // The connection survives a streamed response.
            connection.send("GET /export HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try connection.readResponse().body.count == 80 * 65536)
        }
    }

    @Test func headOfAStreamSendsNoBody() throws {
        var router = Router()
        router.get("/export") { _ in .stream(BodyStream([[1, 2, 3]]), contentType: "application/octet-stream") }
        try withServer(handler: router.handle) { server in
            let connection = try RawConnection(port: server.port)
            connection.send("HEAD /export HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse(head: true).status == 200)
            connection.send("GET /export HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().body == [1, 2, 3])
        }
    }

    @Test func failingStreamIsTruncatedNotCompleted() throws {
        struct Broken: Error {}
        var router = Router()
        router.get("/broken") { _ in
            let sent = Atomic<Int>(0)
            return .stream(
                BodyStream {
                    if sent.add(1, ordering: .relaxed).newValue > 3 { throw Broken() }
                    return Array("line\n".utf8)
                }, contentType: "text/plain")
        }
        try withServer(handler: router.handle) { server in
            let connection = try RawConnection(port: server.port)
            connection.send("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n")
            // No terminating zero-size chunk: the client must see an incomplete body.
            #expect(throws: RawConnection.Failure.self) { try connection.readResponse() }
        }
    }
}
