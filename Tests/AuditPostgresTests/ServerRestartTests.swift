import Foundation
import Testing

@testable import AuditPostgres

/// A real restart, on a private scratch cluster so the shared test server (and the tests
/// running in parallel on it) are never disturbed. Uses scripts/test-postgres.sh, as CI does.
@Suite struct ServerRestartTests {
    @Test func thePoolRecoversAfterARealServerRestart() throws {
        let cluster = try ScratchCluster()
        defer { cluster.destroy() }
        try cluster.run("start")
        let pool = try ConnectionPool(conninfo: cluster.url, maxConnections: 3, connectTimeoutSeconds: 2)
        ConnectionPoolTests.onThreads(3) { _ in _ = try? pool.withConnection { try $0.query("SELECT pg_sleep(0.05)::text AS z") } }
        #expect(pool.ping())

        try cluster.run("stop")
        // During the outage: retryable errors, no crash, slots given back each time.
        for _ in 0..<4 {
            let error = #expect(throws: PostgresError.self) { try pool.withConnection { try $0.query("SELECT 1 AS one") } }
            #expect(error?.isRetryable == true, "\(String(describing: error))")
        }
        #expect(!pool.ping(timeout: .seconds(1)))

        try cluster.run("start")
        // The next call works or fails retryably; the one after works.
        do {
            _ = try pool.withConnection { try $0.query("SELECT 1 AS one") }
        } catch let error as PostgresError {
            #expect(error.isRetryable, "\(error)")
        }
        #expect(try pool.withConnection { try $0.query("SELECT 1 AS one")[0].int("one") } == 1)
        #expect(pool.ping())
    }
}

/// A throwaway cluster in its own directory, socket and port.
struct ScratchCluster {
    let directory = "/tmp/spaceaudit-scratch-" + UUID().uuidString.prefix(8).lowercased()
    let port = Int.random(in: 56_000..<57_000)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/test-postgres.sh").path

    init() throws {
        _ = try TestDatabase.baseURL()  // same precondition as every server test
    }

    var url: String {
        let user = getuid() == 0 ? "postgres" : ProcessInfo.processInfo.userName
        return "postgresql:///postgres?host=\(directory)/sock&port=\(port)&user=\(user)"
    }

    /// Runs the script with posix_spawn + waitpid. (Foundation's Process waits until every
    /// inherited descriptor closes, and the postgres server started by pg_ctl never does.)
    func run(_ command: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logPath = "\(directory)/script.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.merging(
            ["PGTEST_DATA": "\(directory)/data", "PGTEST_SOCK": "\(directory)/sock", "PGTEST_PORT": String(port)]
        ) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv = ["/bin/bash", script, command]
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { argv in
            withCStrings(environment) { envp in posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp) }
        }
        var status: Int32 = 0
        guard spawned == 0, waitpid(pid, &status, 0) == pid, status == 0 else {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSetupError(description: "test-postgres.sh \(command) failed (\(spawned), \(status)): \(text)")
        }
    }

    private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }

    func destroy() {
        try? run("stop")
        try? FileManager.default.removeItem(atPath: directory)
    }
}
