import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// Retention drops whole month partitions, records the cut, and verify still passes — also
/// when a late-reported event makes the dropped chain positions non-contiguous.
@Suite struct RetentionTests {
    static let now = Date(timeIntervalSince1970: 1_779_000_000)  // 2026-05-17T06:40:00Z
    static let march = Date(timeIntervalSince1970: 1_773_000_000)  // 2026-03-08
    static let may = Date(timeIntervalSince1970: 1_778_900_000)  // 2026-05-16

    @Test func cutoffIsAMonthBoundary() {
        #expect(RFC3339.format(Retention.cutoff(keepMonths: 1, now: Self.now)) == "2026-04-01T00:00:00Z")
        #expect(RFC3339.format(Retention.cutoff(keepMonths: 5, now: Self.now)) == "2025-12-01T00:00:00Z")
    }

    @Test func droppingOldMonthsKeepsTheChainVerifiable() throws {
        try TestDatabase.with { conninfo in
            let db = try Connection(conninfo: conninfo)
            try Migrator(repositoryMigrations()).migrate(db)
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
            defer { pool.close() }
            let store = EventStore(pool: pool, hash: ChainVerifierTests.hash)
            let space = SpaceID("acme/app")!
            func event(_ at: Date, _ key: String) -> NewEvent {
                NewEvent(occurredAt: at, event: .loginSucceeded, source: .ingest, idempotencyKey: key)
            }
            // seq 1-2 March, 3 May, 4 March (reported late), 5 May: the cut is {1,2} and {4}.
            _ = try store.append([event(Self.march, "a"), event(Self.march.addingTimeInterval(1), "b")], spaceID: space)
            _ = try store.append([event(Self.may, "c"), event(Self.march.addingTimeInterval(2), "d")], spaceID: space)
            _ = try store.append([event(Self.may.addingTimeInterval(1), "e")], spaceID: space)
            _ = try store.append([event(Self.may, "other")], spaceID: SpaceID("acme/other")!)

            let outcome = try Retention(pool: pool, hash: ChainVerifierTests.hash).run(keepMonths: 1, now: Self.now)
            #expect(outcome.droppedPartitions == ["login_events_y2026m03"])
            #expect(outcome.rowsRemoved == 3)
            #expect(outcome.spaces.map(\.space) == ["acme/app"])
            #expect(try db.query("SELECT count(*) AS n FROM login_events WHERE space_id = 'acme/app'")[0].int("n") == 3)
            let cuts = try db.query("SELECT first_seq, last_seq FROM retention_cuts ORDER BY first_seq")
            let ranges = try cuts.map { row in "\(try row.int("first_seq"))-\(try row.int("last_seq"))" }
            #expect(ranges == ["1-2", "4-4"])
            let retention = try db.query("SELECT seq, reason FROM login_events WHERE event = 'retention'")
            #expect(retention.count == 1)
            #expect(try retention[0].int("seq") == 6)
            #expect(try retention[0].string("reason").contains("head_seq=5"))

            let results = try ChainVerifier(pool: pool, hash: ChainVerifierTests.hash).verify()
            let intact = results.allSatisfy { $0.isIntact }
            #expect(intact)
            #expect(results.first { $0.spaceID == "acme/app" }?.rowsChecked == 3)
            #expect(results.first { $0.spaceID == "acme/app" }?.rowsCut == 3)

            // Altering the cut evidence is detected (made as superuser with triggers off).
            try db.simpleExecute(
                "SET session_replication_role = replica; UPDATE retention_cuts SET last_seq = 3 WHERE first_seq = 1; SET session_replication_role = origin"
            )
            let tampered = try ChainVerifier(pool: pool, hash: ChainVerifierTests.hash).verify(spaceIDs: ["acme/app"])
            #expect(tampered.first?.isIntact == false)
        }
    }

    @Test func nothingOldDropsNothing() throws {
        try TestDatabase.with { conninfo in
            let db = try Connection(conninfo: conninfo)
            try Migrator(repositoryMigrations()).migrate(db)
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 1)
            defer { pool.close() }
            _ = try EventStore(pool: pool, hash: ChainVerifierTests.hash).append(
                [NewEvent(occurredAt: Self.may, event: .logout, source: .ingest, idempotencyKey: "x")], spaceID: SpaceID("a/b")!)
            let outcome = try Retention(pool: pool, hash: ChainVerifierTests.hash).run(keepMonths: 1, now: Self.now)
            #expect(outcome.droppedPartitions.isEmpty)
            #expect(try db.query("SELECT count(*) AS n FROM login_events")[0].int("n") == 1)
        }
    }

    @Test func retentionCutsAreAppendOnly() throws {
        try TestDatabase.withMigrated { db in
            try db.execute(
                "INSERT INTO retention_cuts (space_id, first_seq, last_seq, last_hash, rows_removed, retention_event_id) VALUES ('a/b', 1, 2, '\\x00', 2, gen_random_uuid())"
            )
            for statement: SQL in ["UPDATE retention_cuts SET last_seq = 5", "DELETE FROM retention_cuts", "TRUNCATE retention_cuts"] {
                let error = #expect(throws: PostgresError.self) { try db.execute(statement) }
                #expect(error?.isAppendOnlyViolation == true)
            }
        }
    }
}
