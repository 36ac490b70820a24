import Foundation
import Synchronization
import Testing

@testable import AuditPostgres

/// The guarantees sql/0001_create_schema.sql makes, checked on a migrated database.
@Suite struct SchemaTests {
    static let occurredAt = Date(timeIntervalSince1970: 1_717_200_000)  // 2024-06-01T00:00:00Z

    static func insertEvent(_ db: Connection, seq: Int = 1) throws {
        _ = try db.query("SELECT ensure_login_events_partition(\(occurredAt)) AS p")
        try db.execute(
            """
            INSERT INTO login_events (space_id, seq, occurred_at, event, source, hash, orgs)
            VALUES (\("acme/app"), \(seq), \(occurredAt), 'login_succeeded', 'service', \([UInt8](repeating: 7, count: 32)), \(["acme"]))
            """)
    }

    @Test func partitionsAreCreatedPerUTCMonthIdempotently() throws {
        try TestDatabase.withMigrated { db throws in
            let late = Date(timeIntervalSince1970: 1_717_199_999)  // 2024-05-31T23:59:59Z
            #expect(try db.query("SELECT ensure_login_events_partition(\(late)) AS p")[0].string("p") == "login_events_y2024m05")
            #expect(try db.query("SELECT ensure_login_events_partition(\(Self.occurredAt)) AS p")[0].string("p") == "login_events_y2024m06")
            #expect(try db.query("SELECT ensure_login_events_partition(\(Self.occurredAt)) AS p")[0].string("p") == "login_events_y2024m06")
            try Self.insertEvent(db)
            #expect(try db.query("SELECT tableoid::regclass::text AS part FROM login_events")[0].string("part") == "login_events_y2024m06")
        }
    }

    @Test func concurrentPartitionCreationDoesNotFail() throws {
        try TestDatabase.with { conninfo throws in
            try Migrator(repositoryMigrations()).migrate(Connection(conninfo: conninfo))
            let failures = Mutex<[String]>([])
            ConnectionPoolTests.onThreads(6) { i in
                do {
                    let db = try Connection(conninfo: conninfo)
                    let month = Date(timeIntervalSince1970: 1_700_000_000 + Double(i % 3) * 2_678_400)
                    _ = try db.query("SELECT ensure_login_events_partition(\(month)) AS p")
                } catch {
                    failures.withLock { $0.append(String(reflecting: error)) }
                }
            }
            #expect(failures.withLock { $0 } == [])
        }
    }

    @Test func loginEventsRejectUpdateDeleteAndTruncate() throws {
        try TestDatabase.withMigrated { db throws in
            try Self.insertEvent(db)
            let statements: [SQL] = [
                "UPDATE login_events SET reason = 'forged'", "DELETE FROM login_events", "TRUNCATE login_events",
                "UPDATE login_events_y2024m06 SET reason = 'forged'", "DELETE FROM login_events_y2024m06",
                "TRUNCATE login_events_y2024m06",
            ]
            for statement in statements {
                let error = #expect(throws: PostgresError.self, "\(statement)") { try db.execute(statement) }
                #expect(error?.isAppendOnlyViolation == true, "\(statement)")
                #expect(error?.description == "login_events is append-only (SQLSTATE SA001)")
            }
            // UPDATE stays forbidden even on the retention path.
            let update = #expect(throws: PostgresError.self) {
                try db.transaction { db in
                    _ = try db.query("SELECT set_config('spaceaudit.retention', 'on', true) AS on")
                    try db.execute("UPDATE login_events SET reason = 'forged'")
                }
            }
            #expect(update?.isAppendOnlyViolation == true)
            #expect(try db.query("SELECT count(*) AS n FROM login_events")[0].int("n") == 1)
        }
    }

    @Test func theRetentionPathMayDeleteInsideItsTransactionOnly() throws {
        try TestDatabase.withMigrated { db throws in
            try Self.insertEvent(db, seq: 1)
            try Self.insertEvent(db, seq: 2)
            let deleted = try db.transaction { db in
                _ = try db.query("SELECT set_config('spaceaudit.retention', 'on', true) AS on")
                return try db.execute("DELETE FROM login_events WHERE seq = 1")
            }
            #expect(deleted == 1)
            // The setting was transaction-local: the guard is back.
            let error = #expect(throws: PostgresError.self) { try db.execute("DELETE FROM login_events") }
            #expect(error?.isAppendOnlyViolation == true)
            #expect(try db.query("SELECT seq FROM login_events").map { try $0.int("seq") } == [2])
        }
    }

    @Test func constraintsHold() throws {
        try TestDatabase.withMigrated { db throws in
            try Self.insertEvent(db)
            #expect(throws: PostgresError.self) { try Self.insertEvent(db) }  // same (space, seq, occurred_at)
            let badEvent = #expect(throws: PostgresError.self) {
                try db.execute(
                    "INSERT INTO login_events (space_id, seq, occurred_at, event, source, hash) VALUES ('a/b', 1, \(Self.occurredAt), 'hacked', 'service', '\\x00')"
                )
            }
            #expect(badEvent?.isCheckViolation == true)
            let row = try db.query("SELECT orgs, scopes_granted, event_id, received_at FROM login_events")[0]
            #expect(try row.stringArray("orgs") == ["acme"])
            #expect(try row.stringArray("scopes_granted") == [])
            _ = try row.uuid("event_id")
            _ = try row.date("received_at")

            try db.execute(
                "INSERT INTO spaces (id, host, callbacks) VALUES ('acme/app', 'acme-app.hf.space', \(["https://acme-app.hf.space/cb"]))")
            try db.execute("INSERT INTO ingest_tokens (space_id, token_hash) VALUES ('acme/app', \([UInt8]([1, 2])))")
            let orphan = #expect(throws: PostgresError.self) {
                try db.execute("INSERT INTO ingest_tokens (space_id, token_hash) VALUES ('nobody/none', \([UInt8]([3])))")
            }
            #expect(orphan?.isForeignKeyViolation == true)
            try db.execute("DELETE FROM spaces WHERE id = 'acme/app'")
            #expect(try db.query("SELECT count(*) AS n FROM ingest_tokens")[0].int("n") == 0)  // cascaded
        }
    }
}
