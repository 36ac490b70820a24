import Foundation
import Testing

@testable import AuditPostgres

/// Thrown when the test environment is incomplete: the test fails with this message.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
}

/// A private database per test, so tests run in parallel without seeing each other.
enum TestDatabase {
    static let urlVariable = "SPACEAUDIT_TEST_DATABASE_URL"

    /// The server to test against. Never skipped: without it the test fails and says why.
    static func baseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[urlVariable], !url.isEmpty else {
            throw TestSetupError(
                description: """
                    \(urlVariable) is not set: these tests need a real PostgreSQL. \
                    Run `eval "$(scripts/test-postgres.sh)"` and try again.
                    """)
        }
        return url
    }

    /// Creates `test_<random>`, passes its connection string to `body`, then drops it (also
    /// when `body` throws).
    static func with<T>(_ body: (_ conninfo: String) throws -> T) throws -> T {
        let base = try baseURL()
        let admin = try Connection(conninfo: base)
        let name = "test_" + UUID().uuidString.lowercased().filter { $0 != "-" }
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        return try body(ConnectionString.overriding(base, with: ["dbname": name]))
    }

    /// A private database with a fresh connection to it.
    static func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try with { conninfo in try body(Connection(conninfo: conninfo)) }
    }

    /// A private database migrated with the repository's sql/ files.
    static func withMigrated<T>(_ body: (Connection) throws -> T) throws -> T {
        try withConnection { connection in
            try Migrator(repositoryMigrations()).migrate(connection)
            return try body(connection)
        }
    }

    /// Terminates every other session on the database `conninfo` points to, and waits until
    /// they are gone (pg_terminate_backend only signals).
    static func terminateBackends(of conninfo: String) throws {
        let admin = try Connection(conninfo: baseURL())
        let database = try Connection(conninfo: conninfo).query("SELECT current_database() AS db")[0].string("db")
        for _ in 0..<200 {
            let rows = try admin.query(
                """
                SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
                WHERE datname = \(database) AND pid <> pg_backend_pid()
                """)
            if try rows[0].int("n") == 0 { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw TestSetupError(description: "backends of \(database) did not terminate")
    }
}

/// The migrations in the repository's sql/ folder (repo root is three levels above this file).
func repositoryMigrations() throws -> [Migration] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let folder = root.appendingPathComponent("sql")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
    return try files.map { file in
        try Migration.parse(
            fileName: file, contents: String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
    }
}
