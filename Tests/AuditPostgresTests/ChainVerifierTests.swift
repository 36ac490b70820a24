import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// Tamper cases against ChainVerifier on a real database: edits, deletions, insertions and
/// reorderings are made as the superuser with triggers off (session_replication_role), the way
/// an attacker with database access would, and each must be named at the right row.
@Suite struct ChainVerifierTests {
    /// A deterministic 32-byte digest; the chain logic does not depend on which hash is used.
    /// (SHA-256 lives in AuditOIDC, which this target does not link.)
    static let hash: EventStore.Hasher = { bytes in
        var out: [UInt8] = []
        for seed in UInt64(0)..<4 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 &+ seed &* 0x9E37_79B9_7F4A_7C15
            for byte in bytes {
                h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            withUnsafeBytes(of: h.bigEndian) { out += $0 }
        }
        return out
    }

    static let space = SpaceID("acme/app")!

    /// A migrated database with `count` events for acme/app (and 2 for acme/other).
    static func withChain(_ count: Int, occurredAt: Date = Date(), _ body: (Connection, ConnectionPool) throws -> Void) throws {
        try TestDatabase.with { conninfo in
            let admin = try Connection(conninfo: conninfo)
            try Migrator(repositoryMigrations()).migrate(admin)
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
            defer { pool.close() }
            let store = EventStore(pool: pool, hash: hash)
            let events = (1...count).map { i in
                NewEvent(
                    occurredAt: occurredAt.addingTimeInterval(Double(i)), event: .loginSucceeded, outcome: .success,
                    userSub: "u\(i)", username: "user\(i)", orgs: ["acme"], scopesGranted: ["openid"], source: .ingest,
                    idempotencyKey: "k\(i)")
            }
            _ = try store.append(events, spaceID: space)
            _ = try store.append(
                [
                    NewEvent(occurredAt: occurredAt, event: .logout, source: .service, idempotencyKey: "o1"),
                    NewEvent(occurredAt: occurredAt, event: .logout, source: .service, idempotencyKey: "o2"),
                ],
                spaceID: SpaceID("acme/other")!)
            try body(admin, pool)
        }
    }

    static func verify(_ pool: ConnectionPool, _ spaces: [String] = []) throws -> [String: ChainVerifier.SpaceResult] {
        let results = try ChainVerifier(pool: pool, hash: hash).verify(spaceIDs: spaces)
        return Dictionary(uniqueKeysWithValues: results.map { ($0.spaceID, $0) })
    }

    static func tamper(_ db: Connection, _ sql: String) throws {
        try db.simpleExecute("SET session_replication_role = replica; \(sql); SET session_replication_role = origin")
    }

    @Test func intactChainsVerify() throws {
        try Self.withChain(5) { _, pool in
            let results = try Self.verify(pool)
            #expect(results["acme/app"]?.isIntact == true)
            #expect(results["acme/app"]?.rowsChecked == 5)
            #expect(results["acme/other"]?.rowsChecked == 2)
        }
    }

    @Test func anEditedRowIsNamed() throws {
        try Self.withChain(5) { db, pool in
            try Self.tamper(db, "UPDATE login_events SET username = 'mallory' WHERE space_id = 'acme/app' AND seq = 3")
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 3)
            #expect(result.firstBreak?.eventID != nil)
            #expect(result.firstBreak?.reason.contains("does not match its hash") == true)
            #expect(result.rowsChecked == 2)
            #expect(try Self.verify(pool)["acme/other"]?.isIntact == true)
        }
    }

    @Test func anEditedTimestampIsNamed() throws {
        try Self.withChain(4) { db, pool in
            try Self.tamper(
                db, "UPDATE login_events SET occurred_at = occurred_at + interval '1 microsecond' WHERE space_id = 'acme/app' AND seq = 2")
            #expect(try Self.verify(pool)["acme/app"]?.firstBreak?.seq == 2)
        }
    }

    @Test func aDeletedMiddleRowIsNamed() throws {
        try Self.withChain(5) { db, pool in
            try Self.tamper(db, "DELETE FROM login_events WHERE space_id = 'acme/app' AND seq = 3")
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 3)
            #expect(result.firstBreak?.reason.contains("missing") == true)
        }
    }

    @Test func aDeletedLastRowIsNamed() throws {
        try Self.withChain(5) { db, pool in
            try Self.tamper(db, "DELETE FROM login_events WHERE space_id = 'acme/app' AND seq = 5")
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 5)
            #expect(result.firstBreak?.reason.contains("chain head") == true)
        }
    }

    @Test func anInsertedRowIsNamed() throws {
        try Self.withChain(5) { db, pool in
            // A forged row squeezed in as seq 3: later rows renumbered, a plausible-looking hash.
            try Self.tamper(
                db,
                """
                UPDATE login_events SET seq = seq + 1 WHERE space_id = 'acme/app' AND seq >= 3;
                INSERT INTO login_events (space_id, seq, occurred_at, event, source, prev_hash, hash)
                  SELECT 'acme/app', 3, occurred_at, 'login_succeeded', 'ingest', hash, sha256(hash)
                    FROM login_events WHERE space_id = 'acme/app' AND seq = 2
                """)
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 3)
        }
    }

    @Test func aDuplicatedSeqIsNamed() throws {
        try Self.withChain(3) { db, pool in
            try Self.tamper(
                db,
                """
                INSERT INTO login_events (space_id, seq, occurred_at, event, source, prev_hash, hash)
                  SELECT space_id, seq, occurred_at + interval '1 second', event, source, prev_hash, hash
                    FROM login_events WHERE space_id = 'acme/app' AND seq = 2
                """)
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 2)
            #expect(result.firstBreak?.reason.contains("more than once") == true)
        }
    }

    @Test func aReorderingIsNamed() throws {
        try Self.withChain(5) { db, pool in
            try Self.tamper(
                db,
                """
                UPDATE login_events SET seq = -1 WHERE space_id = 'acme/app' AND seq = 2;
                UPDATE login_events SET seq = 2 WHERE space_id = 'acme/app' AND seq = 4;
                UPDATE login_events SET seq = 4 WHERE space_id = 'acme/app' AND seq = -1
                """)
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 2)
        }
    }

    @Test func aRowWithAnotherPrevHashIsNamed() throws {
        try Self.withChain(4) { db, pool in
            try Self.tamper(db, "UPDATE login_events SET prev_hash = '\\x00' WHERE space_id = 'acme/app' AND seq = 4")
            let result = try #require(Self.verify(pool)["acme/app"])
            #expect(result.firstBreak?.seq == 4)
            #expect(result.firstBreak?.reason.contains("prev_hash") == true)
        }
    }

    @Test func unknownSpaceChecksZeroRows() throws {
        try Self.withChain(2) { _, pool in
            let result = try #require(Self.verify(pool, ["nobody/here"])["nobody/here"])
            #expect(result.rowsChecked == 0)
            #expect(result.isIntact)
        }
    }
}
