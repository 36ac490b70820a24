import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` on the embedded PostgreSQL, as a newcomer runs it: no DATABASE_URL at all.
@Suite(.serialized) struct EmbeddedServeTests {
    @Test func serveIsReadyAndSIGTERMLeavesNoPostgresBehind() throws {
        let (serve, dataDirectory, port) = startServe()
        defer { cleanUp(serve, dataDirectory) }

        #expect(Binary.postgresProcesses(using: dataDirectory).count > 0)
        #expect(HTTPProbe.get("http://127.0.0.1:\(port)/healthz")?.status == 200)
        #expect(HTTPProbe.get("http://127.0.0.1:\(port)/")?.body.contains("SpaceAudit") == true)

        // A second serve on the same data dir refuses clearly and leaves the first one alone.
        let second = Binary.run(["serve", "--port", "\(Binary.freePort())"], environment: ["SPACEAUDIT_DATA_DIR": dataDirectory])
        #expect(second.status == 3)
        #expect(second.stderr.contains("another spaceaudit"), "\(second.stderr)")
        #expect(HTTPProbe.get("http://127.0.0.1:\(port)/readyz")?.status == 200)

        serve.signal(SIGTERM)
        let result = serve.wait(seconds: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Binary.postgresProcesses(using: dataDirectory).isEmpty)

        // The cluster survives for the next run, and migrate is then a no-op.
        let migrate = Binary.run(["migrate"], environment: ["SPACEAUDIT_DATA_DIR": dataDirectory])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("all applied\n"), "\(migrate.stdout)")
        #expect(Binary.postgresProcesses(using: dataDirectory).isEmpty)
    }

    @Test func ctrlCAlsoStopsTheEmbeddedPostgres() throws {
        let (serve, dataDirectory, _) = startServe()
        defer { cleanUp(serve, dataDirectory) }
        serve.signal(SIGINT)
        let result = serve.wait(seconds: 60)
        #expect(result.status == 130)
        #expect(Binary.postgresProcesses(using: dataDirectory).isEmpty)
    }

    /// `serve` on a fresh embedded data dir, once `/readyz` answers 200.
    private func startServe() -> (Binary.Running, String, Int) {
        let dataDirectory = Binary.freshDataDirectory()
        let port = Binary.freePort()
        let serve = Binary.start(["serve", "--port", "\(port)"], environment: ["SPACEAUDIT_DATA_DIR": dataDirectory])
        let ready = HTTPProbe.waitFor("http://127.0.0.1:\(port)/readyz")
        #expect(ready, "readyz never answered 200: \(serve.stderrSoFar)")
        return (serve, dataDirectory, port)
    }

    private func cleanUp(_ serve: Binary.Running, _ dataDirectory: String) {
        serve.signal(SIGKILL)
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
