import AuditPostgres
import Foundation

/// The database a command works on: `DATABASE_URL`, the `PG*` variables, or the embedded cluster.
/// Opening it also applies pending migrations, so every command sees the current schema.
final class DatabaseSession: @unchecked Sendable {  // `embedded` is stopped once, under `lock`
    let pool: ConnectionPool
    let description: String
    private var embedded: EmbeddedPostgres?
    /// Migrations applied while opening (for `spaceaudit migrate` to report).
    private(set) var appliedOnOpen: [String] = []
    private let lock = NSLock()

    private init(pool: ConnectionPool, description: String, embedded: EmbeddedPostgres?) {
        self.pool = pool
        self.description = description
        self.embedded = embedded
    }

    static func open(environment: [String: String], console: Console, poolSize: Int = 8) throws -> DatabaseSession {
        let session: DatabaseSession
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            session = DatabaseSession(
                pool: try ConnectionPool(conninfo: url, maxConnections: poolSize), description: "DATABASE_URL", embedded: nil)
        } else if ["PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER"].contains(where: { environment[$0] != nil }) {
            // An empty connection string makes libpq read the PG* variables itself.
            session = DatabaseSession(
                pool: try ConnectionPool(conninfo: "", maxConnections: poolSize), description: "PG* variables", embedded: nil)
        } else {
            let directory = URL(fileURLWithPath: environment["SPACEAUDIT_DATA_DIR"] ?? ".spaceaudit", isDirectory: true)
            let cluster = try EmbeddedPostgres(dataDirectory: directory)
            try cluster.start()
            session = DatabaseSession(
                pool: try ConnectionPool(conninfo: cluster.connectionString, maxConnections: poolSize),
                description: "embedded PostgreSQL in \(cluster.dataDirectory.path)", embedded: cluster)
        }
        do {
            session.appliedOnOpen = try session.migrate()
        } catch {
            session.close()
            throw error
        }
        return session
    }

    /// Applies the numbered files of `sql/` that are not yet recorded. Returns their names.
    @discardableResult
    func migrate() throws -> [String] {
        let migrations = try ResourceLocator.migrations()
        return try pool.withConnection { connection in
            try Migrator(migrations).migrate(connection).map(\.name)
        }
    }

    func close() {
        pool.close()
        let cluster = lock.withLock { () -> EmbeddedPostgres? in
            defer { embedded = nil }
            return embedded
        }
        cluster?.stop()
    }
}
