import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// sql/0005 folds events into the rollups once per INSERT statement and EventStore writes a
/// batch with multi-row INSERTs: the rollups must come out exactly as 0004's row trigger made
/// them, however the events are split into statements and batches.
@Suite struct ReportStoreBatchTests {
    static let rollupTables = [
        "space_daily_stats", "space_user_days", "space_users", "space_scope_grants", "space_scope_grant_days", "space_observations",
    ]

    /// More events than one INSERT statement takes, with everything the rollups fold
    /// differently: out-of-order times, renames at one instant after all others (every 7th event), successes without a
    /// user or a name, repeated scopes, bare and detailed provider errors, empty redirects,
    /// and idempotency keys repeated (with the same payload) inside the batch.
    static func events() -> [NewEvent] {
        let base = Seed.until - 20 * Seed.day
        return (0..<(EventStore.rowsPerStatement + 150)).map { index in
            // Every 9th event carries a key; from index 27 on it repeats an earlier keyed event.
            let i = index % 9 == 0 ? index % 27 : index
            let at = i % 7 == 0 ? base + 21 * Seed.day : base + Double((i * 7_919) % 1_900) * 900
            var event: NewEvent
            switch i % 10 {
            case 0:
                event = Seed.failure(
                    i % 20 == 0 ? "idp_error:access_denied" : (i % 30 == 10 ? "idp_error" : "state_expired"),
                    sub: "u-\(i % 23)", at: at, redirect: i % 3 == 0 ? "" : "https://a.hf.space/cb")
            case 1:
                event = Seed.started(at: at, requested: ["openid", "profile", "openid"], redirect: "https://a.hf.space/cb")
            case 2:
                event = NewEvent(occurredAt: at, event: .logout, userSub: "u-\(i % 23)", source: .service)
            default:
                let granted = i % 4 == 0 ? ["openid", "write-repos", "openid"] : (i % 4 == 1 ? [] : ["openid", "profile"])
                event = Seed.success(
                    i % 13 == 5 ? "" : "u-\(i % 23)", i % 5 == 0 ? nil : "name-\(i % 11)", at: at,
                    granted: granted, requested: ["openid"], redirect: i % 6 == 0 ? nil : "https://b\(i % 3).hf.space/cb")
                if i % 13 == 5 { event.userSub = nil }
            }
            event.idempotencyKey = index % 9 == 0 ? "key-\(i)" : nil
            return event
        }
    }

    /// Every rollup row as text, table by table, in a stable order.
    static func snapshot(_ pool: ConnectionPool) throws -> [String: [String]] {
        try pool.withConnection { connection in
            var tables: [String: [String]] = [:]
            for table in rollupTables {
                tables[table] = try connection.query("SELECT x::text AS row FROM \(identifier: table) x ORDER BY 1").map {
                    try $0.string("row")
                }
            }
            return tables
        }
    }

    /// Appends `events` to two Spaces in batches of `batchSize` and returns the rollups.
    static func rollups(batchSize: Int, migrations: [Migration]? = nil) throws -> [String: [String]] {
        try ReportFixture.with(migrations: migrations) { f in
            for space in ["acme/app", "acme/two"] {
                for start in stride(from: 0, to: events().count, by: batchSize) {
                    let all = events()
                    _ = try f.events.append(Array(all[start..<min(start + batchSize, all.count)]), spaceID: SpaceID(space)!)
                }
            }
            return try snapshot(f.pool)
        }
    }

    @Test func oneBatchAndSingleRowAppendsGiveTheSameRollups() throws {
        let batched = try Self.rollups(batchSize: 10_000)
        let singly = try Self.rollups(batchSize: 1)
        let inSevens = try Self.rollups(batchSize: 7)
        #expect(batched == singly)
        #expect(batched == inSevens)
        #expect(batched["space_users"]?.count == 2 * 23)
        #expect(Self.rollupTables.allSatisfy { !(batched[$0] ?? []).isEmpty })
    }

    /// The statement trigger of sql/0005 matches 0004's row trigger on the same events.
    @Test func statementTriggerMatchesTheRowTriggerOf0004() throws {
        let rowTrigger = try Self.rollups(batchSize: 10_000, migrations: try repositoryMigrations().filter { $0.version < 5 })
        let statementTrigger = try Self.rollups(batchSize: 10_000)
        #expect(rowTrigger == statementTrigger)
    }

    /// A key repeated inside one batch stores one event and answers the first event's id.
    @Test func repeatedKeyInsideABatchStoresOneEvent() throws {
        try ReportFixture.with { f in
            var event = Seed.success("u-1", "one", at: Seed.until - Seed.hour)
            event.idempotencyKey = "same"
            let stored = try f.events.append([event, Seed.success("u-2", nil, at: Seed.until - 60), event], spaceID: SpaceID("acme/app")!)
            #expect(stored.map(\.isNew) == [true, true, false])
            #expect(stored[2].eventID == stored[0].eventID)
            let count = try f.pool.withConnection { try $0.query("SELECT count(*) AS n FROM login_events").first?.int("n") }
            #expect(count == 2)
            var changed = event
            changed.username = "renamed"
            #expect(throws: EventStoreError.self) { try f.events.append([changed], spaceID: SpaceID("acme/app")!) }
        }
    }
}
