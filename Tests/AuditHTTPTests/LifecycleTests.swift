import Foundation
import Synchronization
import Testing

@testable import AuditHTTP

@Suite struct LifecycleTests {
    @Test func portInUseIsAClearError() throws {
        try withServer(handler: { _ in .text("a") }) { (first: HTTPServer) throws in
            var config = ServerConfig()
            config.port = first.port
            let second = HTTPServer(config: config, logger: .silent) { _ in .text("b") }
            #expect {
                try second.start()
            } throws: { error in
                let text = String(describing: error)
                return text.contains("127.0.0.1:\(first.port)") && text.contains("in use")
            }
        }
    }

    @Test func invalidBindAddressIsAClearError() {
        var config = ServerConfig()
        config.bindAddress = "localhost:80"
        let server = HTTPServer(config: config, logger: .silent) { _ in .text("b") }
        #expect(throws: ServerError.self) { try server.start() }
    }

    @Test func ephemeralPortIsReported() throws {
        try withServer(handler: { _ in .text("a") }) { (server: HTTPServer) throws in
            #expect(server.port != 0)
            #expect(try get(server.port, "/").text == "a")
        }
    }

    @Test func gracefulStopFinishesInFlightRequest() throws {
        let entered = DispatchSemaphore(value: 0)
        let server = HTTPServer(config: ServerConfig(), logger: .silent) { request in
            entered.signal()
            usleep(700_000)  // a slow, blocking handler (think: a long query)
            return .text("finished")
        }
        try server.start()
        let port = server.port
        let connection = try RawConnection(port: port)
        connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        entered.wait()

        let stopped = DispatchSemaphore(value: 0)
        Thread {
            server.stop(deadline: .seconds(5))
            stopped.signal()
        }.start()
        for _ in 0..<500 where server.port != 0 { usleep(2_000) }  // stop() has begun
        usleep(50_000)
        #expect(stopped.wait(timeout: .now()) == .timedOut)  // stop() waits for the handler
        #expect(
            (try? RawConnection(port: port, timeoutSeconds: 1)).map { c in
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try? c.readResponse()) == nil
            } ?? true)  // no new request is served

        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.headers["Connection"]?.lowercased() == "close")
        #expect(stopped.wait(timeout: .now() + 4) == .success)
        #expect(throws: RawConnection.Failure.self) { try RawConnection(port: port, timeoutSeconds: 1) }
    }

    @Test func stopIsIdempotentAndRestartWorks() throws {
        let server = HTTPServer(config: ServerConfig(), logger: .silent) { _ in .text("a") }
        try server.start()
        #expect(throws: ServerError.self) { try server.start() }
        server.stop()
        server.stop()
        #expect(server.port == 0)
        try server.start()
        #expect(try get(server.port, "/").text == "a")
        server.stop()
    }

    @Test func customCSPAndFormActionSources() throws {
        var config = ServerConfig()
        config.formActionSources = ["https://huggingface.co"]
        #expect(config.contentSecurityPolicy.hasSuffix("form-action 'self' https://huggingface.co"))
        try withServer(config: config, handler: { _ in .text("a") }) { (server: HTTPServer) throws in
            #expect(try get(server.port, "/").headers["Content-Security-Policy"] == config.contentSecurityPolicy)
        }
        config.contentSecurityPolicyOverride = "default-src 'none'"
        try withServer(config: config, handler: { _ in .text("a") }) { (server: HTTPServer) throws in
            #expect(try get(server.port, "/").headers["Content-Security-Policy"] == "default-src 'none'")
        }
    }
}
