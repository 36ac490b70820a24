import Foundation
import Testing

@testable import AuditHTTP

/// Limits and malformed input, over raw sockets so the exact bytes are ours.
/// Statuses below were checked against libmicrohttpd 0.9.75: where MHD answers by itself
/// (request far beyond its memory pool, garbled syntax) the test says so.
@Suite struct LimitTests {
    static func server(_ calls: Recorder<String>, config: ServerConfig = ServerConfig(), _ body: (UInt16) throws -> Void)
        throws
    {
        try withServer(
            config: config,
            handler: { request in
                calls.append(request.path)
                return .text("reached")
            }
        ) { server in try body(server.port) }
    }

    @Test func bodyOverLimitByContentLengthIs413() throws {
        let calls = Recorder<String>()
        var config = ServerConfig()
        config.maxBodyBytes = 1000
        try Self.server(calls, config: config) { (port: UInt16) throws in
            let response = try exchange(
                port, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + String(repeating: "a", count: 1001))
            #expect(response.status == 413)
            #expect(response.errorCode == "payload_too_large")
            let fits = try exchange(
                port,
                "POST /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1000\r\n\r\n" + String(repeating: "a", count: 1000))
            #expect(fits.status == 200)
        }
        #expect(calls.all == ["/up"])
    }

    @Test func chunkedBodyOverLimitIs413WhileCollecting() throws {
        let calls = Recorder<String>()
        var config = ServerConfig()
        config.maxBodyBytes = 1000
        try Self.server(calls, config: config) { (port: UInt16) throws in
            let chunk = String(repeating: "b", count: 600)
            let response = try exchange(
                port,
                "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n")
            #expect(response.status == 413)
        }
        #expect(calls.all.isEmpty)
    }

    @Test func longURIIs414() throws {
        let calls = Recorder<String>()
        try Self.server(calls) { (port: UInt16) throws in
            let justFits = "/" + String(repeating: "a", count: 8 * 1024 - 1)
            #expect(try get(port, justFits).status == 200)
            // Ours: over maxURILength but within MHD's memory pool.
            let over = try get(port, "/" + String(repeating: "a", count: 8 * 1024))
            #expect(over.status == 414)
            #expect(over.errorCode == "uri_too_long")
            // MHD's own answer when the line does not even fit its buffer.
            #expect(try get(port, "/" + String(repeating: "a", count: 200 * 1024)).status == 414)
        }
        #expect(calls.all.count == 1)
    }

    @Test func tooManyHeadersIs431() throws {
        let calls = Recorder<String>()
        try Self.server(calls) { (port: UInt16) throws in
            let many = (0..<101).map { "X-H\($0): v\r\n" }.joined()
            let response = try get(port, "/", headers: many)
            #expect(response.status == 431)
            #expect(response.errorCode == "headers_too_large")
        }
        #expect(calls.all.isEmpty)
    }

    @Test func tooBigHeadersAre431() throws {
        let calls = Recorder<String>()
        try Self.server(calls) { (port: UInt16) throws in
            let big = "X-Big: \(String(repeating: "v", count: 17 * 1024))\r\n"
            #expect(try get(port, "/", headers: big).status == 431)
            // Far beyond MHD's memory pool: MHD answers by itself.
            let huge = "X-Big: \(String(repeating: "v", count: 300 * 1024))\r\n"
            #expect(try get(port, "/", headers: huge).status == 431)
        }
        #expect(calls.all.isEmpty)
    }

    @Test(arguments: [
        "GET /x HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /x?q=%f HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n",
        "GET /x HTTP/1.1\r\n\r\n",
        "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET http//x HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    ])
    func malformedRequestIs400WithoutReachingHandler(_ request: String) throws {
        let calls = Recorder<String>()
        try Self.server(calls) { (port: UInt16) throws in
            let response = try exchange(port, request)
            #expect(response.status == 400, "\(request.debugDescription) → \(response.status) \(response.text)")
        }
        #expect(calls.all.isEmpty)
    }

    /// A request line with no spaces at all: MHD closes the connection without any answer
    /// (its choice, not configurable); the handler is not reached either way.
    @Test func requestLineWithoutTargetIsDropped() throws {
        let calls = Recorder<String>()
        try Self.server(calls) { (port: UInt16) throws in
            let connection = try RawConnection(port: port)
            connection.send("GARBAGE\r\n\r\n")
            #expect(connection.isClosedByPeer())
        }
        #expect(calls.all.isEmpty)
    }

    @Test func rejectedRequestsDoNotLeakState() throws {
        let calls = Recorder<String>()
        try withServer(handler: { _ in .text("x") }) { server in
            _ = try get(server.port, "/" + String(repeating: "a", count: 200 * 1024))
            _ = try get(server.port, "/", headers: "X-Big: \(String(repeating: "v", count: 300 * 1024))\r\n")
            _ = try? exchange(server.port, "GARBAGE\r\n\r\n")
            _ = try get(server.port, "/a%zz")
            for _ in 0..<200 where server.inFlightRequests > 0 { usleep(5_000) }
            #expect(server.inFlightRequests == 0)
        }
        _ = calls
    }
}
