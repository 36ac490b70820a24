import Foundation
import Synchronization
import Testing

@testable import AuditPostgres

@Suite struct ConnectionPoolTests {
    /// Runs `body` on `count` real threads at once (not the cooperative pool, where the pool's
    /// blocking checkout would starve other tests) and waits for all.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            Thread {
                body(i)
                group.leave()
            }.start()
        }
        group.wait()
    }

    @Test func fiftyConcurrentCallersShareEightConnections() throws {
        try TestDatabase.with { conninfo throws in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 8)
            try pool.withConnection { try $0.execute("CREATE TABLE hits (caller int PRIMARY KEY, pid int)") }
            let failures = Mutex<[String]>([])
            Self.onThreads(50) { i in
                do {
                    try pool.withConnection { db in
                        let row = try db.query("SELECT \(i) * 2 AS double, pg_backend_pid() AS pid, pg_sleep(0.02)::text AS z")[0]
                        guard try row.int("double") == i * 2 else { throw TestSetupError(description: "wrong answer for \(i)") }
                        try db.execute("INSERT INTO hits VALUES (\(i), \(try row.int("pid")))")
                    }
                } catch {
                    failures.withLock { $0.append("\(i): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let row = try pool.withConnection { try $0.query("SELECT count(*) AS n, count(DISTINCT pid) AS pids FROM hits")[0] }
            #expect(try row.int("n") == 50)
            #expect(try row.int("pids") <= 8)
            #expect(pool.idleCount <= 8)
        }
    }

    @Test func anExhaustedPoolTimesOutWithARetryableError() throws {
        try TestDatabase.with { conninfo throws in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 1, checkoutTimeout: .milliseconds(100))
            let started = ContinuousClock.now
            let error = #expect(throws: PostgresError.self) {
                try pool.withConnection { _ in try pool.withConnection { _ in } }
            }
            #expect(error?.isPoolExhausted == true)
            #expect(error?.isRetryable == true)
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(try pool.withConnection { try $0.query("SELECT 1 AS one")[0].int("one") } == 1)  // permit returned
        }
    }

    @Test func thePoolSurvivesTerminatedBackends() throws {
        try TestDatabase.with { conninfo throws in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 4)
            // Open several connections, all idle in the pool afterwards.
            Self.onThreads(4) { _ in _ = try? pool.withConnection { try $0.query("SELECT pg_sleep(0.05)::text AS z") } }
            #expect(pool.idleCount >= 1)

            try TestDatabase.terminateBackends(of: conninfo)  // as a server restart would
            for _ in 0..<8 {  // more calls than connections: every dead one is met
                do {
                    _ = try pool.withConnection { try $0.query("SELECT 1 AS one") }
                } catch let error as PostgresError {
                    #expect(error.isRetryable, "\(error)")
                    #expect(try pool.withConnection { try $0.query("SELECT 1 AS one")[0].int("one") } == 1)
                }
            }
            #expect(pool.ping())
        }
    }

    @Test func aConnectionThatDiesWhileBorrowedIsDiscarded() throws {
        try TestDatabase.with { conninfo throws in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
            let error = #expect(throws: PostgresError.self) {
                try pool.withConnection { db in
                    try TestDatabase.terminateBackends(of: conninfo)
                    _ = try db.query("SELECT 1 AS one")
                }
            }
            #expect(error?.isRetryable == true)
            #expect(pool.idleCount == 0)  // not returned to the pool
            #expect(try pool.withConnection { try $0.query("SELECT 1 AS one")[0].int("one") } == 1)
        }
    }

    @Test func anUnreachableServerFailsFastAndRetryably() throws {
        let conninfo = try ConnectionString.overriding(TestDatabase.baseURL(), with: ["host": "/nonexistent-spaceaudit-socket"])
        let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
        #expect(!pool.ping(timeout: .seconds(1)))
        for _ in 0..<3 {  // each failure gives its slot back
            let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
            #expect(error?.isRetryable == true)
            #expect(error?.isConnectionFailure == true)
        }
    }

    @Test func aBorrowerLeavingATransactionOpenDoesNotLeakIt() throws {
        try TestDatabase.with { conninfo throws in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 1)
            try pool.withConnection { try $0.execute("CREATE TABLE t (x int)") }
            try pool.withConnection { db in
                try db.simpleExecute("BEGIN; INSERT INTO t VALUES (1);")
            }
            #expect(try pool.withConnection { try $0.query("SELECT count(*) AS n FROM t")[0].int("n") } == 0)
            #expect(pool.ping())
            pool.close()
            #expect(!pool.ping())
        }
    }
}
