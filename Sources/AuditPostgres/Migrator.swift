/// Applies pending migrations in version order, each in its own transaction, recording them
/// in `schema_migrations`. Safe to run from several processes at once (an advisory lock
/// serialises them) and idempotent (applied versions are skipped).
public struct Migrator: Sendable {
    public let migrations: [Migration]

    /// Arbitrary but fixed key of the transaction-scoped advisory lock ("SpaceAud" in ASCII).
    static let lockKey = 0x5370_6163_6541_7564

    /// Throws if two migrations share a version.
    public init(_ migrations: [Migration]) throws(PostgresError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.version == b.version {
            throw PostgresError(.invalidMigration, "two migrations have version \(a.version): \(a.fileName), \(b.fileName)")
        }
        self.migrations = sorted
    }

    /// Applies what is pending and returns it (empty when up to date). On failure the failing
    /// migration is rolled back, those before it stay applied, and the error names the file.
    @discardableResult
    public func migrate(_ connection: Connection) throws(PostgresError) -> [Migration] {
        try run(connection) { connection throws(PostgresError) in
            try connection.simpleExecute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        }
        var applied: [Migration] = []
        for migration in migrations {
            let didApply = try run(connection) { connection throws(PostgresError) -> Bool in
                // Re-read under the lock: a concurrent migrator may have applied it meanwhile.
                let rows = try connection.query("SELECT name FROM schema_migrations WHERE version = \(migration.version)")
                if let recorded = rows.first {
                    let name = try recorded.string("name")
                    guard name == migration.name else {
                        throw PostgresError(
                            .invalidMigration,
                            "version \(migration.version) was applied as \"\(name)\" but the file is \(migration.fileName)")
                    }
                    return false
                }
                do throws(PostgresError) {
                    try connection.simpleExecute(migration.sql)
                } catch {
                    throw error.inMigration(migration.fileName, line: error.position.map { line(at: $0, in: migration.sql) })
                }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
                return true
            }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    /// Versions already recorded, ascending (empty on a fresh database).
    public func appliedVersions(_ connection: Connection) throws(PostgresError) -> [Int] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.bool("present") == true else { return [] }
        return try connection.query("SELECT version FROM schema_migrations ORDER BY version").map {
            (row) throws(PostgresError) in try row.int("version")
        }
    }

    /// The 1-based line of a 1-based character position reported by the server.
    private func line(at position: Int, in sql: String) -> Int {
        1 + sql.prefix(max(0, position - 1)).reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// One transaction holding the migration lock; released at COMMIT or ROLLBACK.
    private func run<T>(_ connection: Connection, _ body: (Connection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        do {
            return try connection.transaction { connection in
                _ = try connection.query("SELECT pg_advisory_xact_lock(\(Migrator.lockKey))")
                return try body(connection)
            }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw PostgresError(.misuse, "unexpected error: \(error)")  // unreachable: body throws PostgresError only
        }
    }
}
