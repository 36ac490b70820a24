import AuditCore
import Foundation
import Synchronization
import Testing

@testable import AuditPostgres

/// EventExport reads one consistent snapshot through a cursor: rows appended while it streams
/// are not in it, filters bind their values, and decoding round-trips a stored event.
@Suite struct ExportSnapshotTests {
    static let start = Date(timeIntervalSince1970: 1_779_000_000)

    @Test func exportIsASnapshotWhileIngestRuns() throws {
        try TestDatabase.with { conninfo in
            try Migrator(repositoryMigrations()).migrate(Connection(conninfo: conninfo))
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 3)
            defer { pool.close() }
            let store = EventStore(pool: pool, hash: ChainVerifierTests.hash)
            let space = SpaceID("acme/app")!
            let count = EventExport.batchSize * 2 + 7  // more than one FETCH
            _ = try store.append(
                (0..<count).map { i in
                    NewEvent(
                        occurredAt: Self.start.addingTimeInterval(Double(i)), event: .loginSucceeded, source: .ingest,
                        idempotencyKey: "k\(i)")
                },
                spaceID: space)
            var seen = 0
            var appendedDuring = 0
            let summary = try EventExport(pool: pool).stream(EventFilter(spaceIDs: ["acme/app"])) { event in
                seen += 1
                if seen == 10 {
                    // Another session appends while the cursor is open: not part of this export.
                    _ = try store.append(
                        [NewEvent(occurredAt: Self.start, event: .logout, source: .ingest, idempotencyKey: "late")], spaceID: space)
                    appendedDuring += 1
                }
                #expect(event.spaceID == space)
            }
            #expect(appendedDuring == 1)
            #expect(seen == count)
            #expect(summary.rows == count)
            #expect(summary.chainHeads.first?.seq == Int64(count))  // the head in the same snapshot
            #expect(summary.firstOccurredAt == Self.start)
        }
    }

    @Test func filtersAreBoundAndCombined() throws {
        try TestDatabase.with { conninfo in
            try Migrator(repositoryMigrations()).migrate(Connection(conninfo: conninfo))
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
            defer { pool.close() }
            let store = EventStore(pool: pool, hash: ChainVerifierTests.hash)
            let hostile = "x' OR '1'='1"
            _ = try store.append(
                [
                    NewEvent(
                        occurredAt: Self.start, event: .loginSucceeded, userSub: "s1", username: hostile, source: .ingest,
                        idempotencyKey: "1"),
                    NewEvent(
                        occurredAt: Self.start.addingTimeInterval(60), event: .loginFailed, userSub: "s2", source: .ingest,
                        idempotencyKey: "2"),
                ], spaceID: SpaceID("acme/app")!)
            _ = try store.append(
                [NewEvent(occurredAt: Self.start, event: .loginSucceeded, userSub: "s1", source: .ingest, idempotencyKey: "3")],
                spaceID: SpaceID("Other/app")!)
            func rows(_ filter: EventFilter) throws -> [String] {
                var keys: [String] = []
                _ = try EventExport(pool: pool).stream(filter) { keys.append($0.idempotencyKey ?? "") }
                return keys
            }
            #expect(try rows(EventFilter()) == ["3", "1", "2"])  // ordered by Space, then seq
            #expect(try rows(EventFilter(spaceIDs: ["acme/app"])) == ["1", "2"])
            #expect(try rows(EventFilter(users: [hostile])) == ["1"])
            #expect(try rows(EventFilter(users: ["s1"])) == ["3", "1"])
            #expect(try rows(EventFilter(events: ["login_failed"])) == ["2"])
            #expect(try rows(EventFilter(since: Self.start.addingTimeInterval(1))) == ["2"])
            #expect(try rows(EventFilter(until: Self.start.addingTimeInterval(60))) == ["3", "1"])
            #expect(try rows(EventFilter(owners: ["other"])) == ["3"])  // case-insensitive owner
            #expect(try rows(EventFilter(owners: [])) == [])
            var decoded: [LoginEvent] = []
            _ = try EventExport(pool: pool).stream(EventFilter(users: [hostile])) { decoded.append($0) }
            #expect(decoded.first?.username == hostile)
            #expect(decoded.first?.hash.count == 64)
        }
    }
}
