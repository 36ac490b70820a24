import Foundation
import Synchronization
import Testing

@testable import AuditPostgres

@Suite struct MigratorTests {
    @Test func repositoryMigrationsApplyOnceThenAreANoOp() throws {
        let migrations = try repositoryMigrations()
        #expect(migrations.first?.fileName == "0001_create_schema.sql")
        try TestDatabase.withConnection { db throws in
            let migrator = try Migrator(migrations)
            #expect(try migrator.appliedVersions(db) == [])
            #expect(try migrator.migrate(db).map(\.version) == migrations.map(\.version))
            #expect(try migrator.migrate(db) == [])
            #expect(try migrator.appliedVersions(db) == migrations.map(\.version))
            let tables = try db.query(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).map { try $0.string("tablename") }
            for table in [
                "admin_sessions", "chain_heads", "event_idempotency", "ingest_tokens", "login_attempts",
                "login_events", "schema_migrations", "spaces",
            ] {
                #expect(tables.contains(table), "\(table)")
            }
        }
    }

    @Test func migrationsApplyInVersionOrderAndOnlyPendingOnes() throws {
        try TestDatabase.withConnection { db throws in
            let first = Migration(version: 1, name: "create_a", sql: "CREATE TABLE a (x int PRIMARY KEY);")
            let second = Migration(version: 2, name: "create_b", sql: "CREATE TABLE b (y int REFERENCES a DEFAULT NULL);")
            #expect(try Migrator([second, first]).migrate(db) == [first, second])
            let third = Migration(version: 3, name: "add_z", sql: "ALTER TABLE b ADD COLUMN z text; ALTER TABLE a ADD COLUMN w text;")
            #expect(try Migrator([first, second, third]).migrate(db) == [third])
            let renamed = Migration(version: 2, name: "create_c", sql: "")
            #expect(throws: PostgresError.self) { try Migrator([first, renamed]).migrate(db) }
        }
    }

    @Test func aFailingMigrationRollsBackAndNamesTheFile() throws {
        try TestDatabase.withConnection { db throws in
            let good = Migration(version: 1, name: "create_a", sql: "CREATE TABLE a (x int);")
            let bad = try Migration.parse(
                fileName: "0002_break_things.sql",
                contents: "CREATE TABLE half_done (x int);\nINSERT INTO a VALUES (1);\nSELEC oops;\n")
            let error = #expect(throws: PostgresError.self) { try Migrator([good, bad]).migrate(db) }
            #expect(error?.description.hasPrefix("migration 0002_break_things.sql failed at line 3: syntax error") == true)
            #expect(error?.sqlState == "42601")
            #expect(try Migrator([good]).appliedVersions(db) == [1])
            #expect(try db.query("SELECT to_regclass('half_done') IS NULL AS gone")[0].bool("gone"))
            #expect(try db.query("SELECT count(*) AS n FROM a")[0].int("n") == 0)
            #expect(db.isIdle)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() throws {
        let migrations =
            try repositoryMigrations() + [
                Migration(version: 9001, name: "count_runs", sql: "CREATE TABLE runs (n int); INSERT INTO runs VALUES (1);")
            ]
        try TestDatabase.with { conninfo throws in
            let applied = Mutex<[Int]>([])
            let failures = Mutex<[String]>([])
            ConnectionPoolTests.onThreads(4) { _ in
                do {
                    let versions = try Migrator(migrations).migrate(Connection(conninfo: conninfo)).map(\.version)
                    applied.withLock { $0 += versions }
                } catch {
                    failures.withLock { $0.append(String(reflecting: error)) }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(applied.withLock { $0.sorted() } == migrations.map(\.version))
            let db = try Connection(conninfo: conninfo)
            #expect(try db.query("SELECT count(*) AS n FROM runs")[0].int("n") == 1)
        }
    }
}
