import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// The rollups agree with AuditCore's in-memory reference, survive the loss of old raw
/// events (proof that reports do not read them), and follow the transaction they were
/// written in.
@Suite struct ReportStoreRollupTests {
    let until = Seed.until
    let day = Seed.day
    let hour = Seed.hour

    /// Many users, days and Spaces with repeats, renames and failures.
    func seedMixed(_ f: inout ReportFixture) throws {
        for space in ["acme/app", "acme/two"] {
            var batch: [NewEvent] = []
            for i in 0..<60 {
                let at = until - Double(i * 13 % 45) * day - Double(i % 7) * hour
                let sub = "u-\(i % 9)"
                if i % 5 == 0 {
                    batch.append(Seed.failure(i % 10 == 0 ? "idp_error:redirect_uri_mismatch" : "state_expired", sub: sub, at: at))
                } else {
                    let scopes = i % 4 == 0 ? ["openid", "profile", "write-repos"] : ["openid", "profile"]
                    batch.append(Seed.success(sub, "name-\(i % 9)", at: at, granted: scopes))
                }
            }
            try f.append(space, batch.sorted { $0.occurredAt < $1.occurredAt })
        }
    }

    func expectMatchesReference(_ f: ReportFixture, since: Date, until: Date) throws {
        let spaces = [SpaceID("acme/app")!, SpaceID("acme/two")!]
        let rows = try f.reports.rows(spaces: spaces, since: since, until: until)
        let reference = ReportRows.from(events: f.appended, until: until)
        #expect(
            rows.users.map { [$0.spaceID.description, $0.userSub, RFC3339.format($0.firstSuccessAt), RFC3339.format($0.lastSuccessAt)] }
                == reference.users.map {
                    [$0.spaceID.description, $0.userSub, RFC3339.format($0.firstSuccessAt), RFC3339.format($0.lastSuccessAt)]
                })
        let sinceDay = RFC3339.startOfDay(since)
        #expect(rows.daily == reference.daily.filter { $0.day >= sinceDay })
        #expect(
            rows.grants.map {
                [$0.spaceID.description, $0.scope, $0.userSub, RFC3339.format($0.firstGrantedAt), RFC3339.format($0.lastGrantedAt)]
            }
                == reference.grants.map {
                    [$0.spaceID.description, $0.scope, $0.userSub, RFC3339.format($0.firstGrantedAt), RFC3339.format($0.lastGrantedAt)]
                })
        #expect(!rows.users.isEmpty && !rows.daily.isEmpty && !rows.grants.isEmpty)
    }

    @Test(arguments: [0.0, -3.5, -10.25, -40.6])
    func rollupsMatchTheReference(untilShiftDays: Double) throws {
        try ReportFixture.with { f in
            try seedMixed(&f)
            let asOf = until + untilShiftDays * day
            try expectMatchesReference(f, since: asOf - 30 * day, until: asOf)
        }
    }

    /// Deleting every raw event before `until`'s day (as retention would) leaves the report
    /// rows unchanged: they come from the rollups, not from login_events.
    @Test func reportsDoNotReadOldRawEvents() throws {
        try ReportFixture.with { f in
            try seedMixed(&f)
            let spaces = [SpaceID("acme/app")!, SpaceID("acme/two")!]
            let before = try f.reports.rows(spaces: spaces, since: until - 30 * day, until: until)
            let contextsBefore = try f.reports.contexts(spaces: spaces, since: until - 30 * day + 5 * hour, until: until)
            let deleted = try f.pool.withConnection { connection in
                try connection.transaction { tx in
                    _ = try tx.query("SELECT set_config('spaceaudit.retention', 'on', true)")
                    return try tx.execute(
                        "DELETE FROM login_events WHERE occurred_at < \(RFC3339.startOfDay(until)) AND occurred_at >= \(until - 30 * day + 1 * day)"
                    )
                }
            }
            #expect(deleted > 20)
            #expect(try f.reports.rows(spaces: spaces, since: until - 30 * day, until: until) == before)
            #expect(try f.reports.contexts(spaces: spaces, since: until - 30 * day + 5 * hour, until: until) == contextsBefore)
        }
    }

    /// Events stored before sql/0004 existed are folded in when it is applied.
    @Test func migrationBackfillsExistingEvents() throws {
        let all = try repositoryMigrations()
        try ReportFixture.with(migrations: all.filter { $0.version < 4 }) { f in
            try seedMixed(&f)
            try f.pool.withConnection { try Migrator(all).migrate($0) }
            try expectMatchesReference(f, since: until - 30 * day, until: until)
        }
    }

    /// A batch that fails (idempotency conflict) leaves no trace in the rollups either.
    @Test func failedBatchLeavesRollupsUntouched() throws {
        try ReportFixture.with { f in
            var first = Seed.success("u-1", "one", at: until - 1 * hour)
            first.idempotencyKey = "k1"
            try f.append("acme/app", [first])
            var conflicting = Seed.success("u-1", "renamed", at: until - 1 * hour)
            conflicting.idempotencyKey = "k1"
            #expect(throws: EventStoreError.self) {
                try f.events.append([Seed.success("u-2", "two", at: until - 30 * 60), conflicting], spaceID: SpaceID("acme/app")!)
            }
            let rows = try f.reports.rows(spaces: [SpaceID("acme/app")!], since: until - day, until: until)
            #expect(rows.users.map(\.userSub) == ["u-1"])
            #expect(rows.daily.map(\.successes) == [1])
        }
    }

    /// Observations behind the findings are exact at both ends of the window.
    @Test func observationsAreExactAtTheWindowEdges() throws {
        try ReportFixture.with { f in
            let since = until - 10 * day + 6 * hour
            let bad = "http://localhost:7860/login/callback"
            try f.append(
                "acme/app",
                [
                    Seed.failure("idp_error:invalid_redirect_uri", at: since - 1, redirect: bad),  // just before: out
                    Seed.failure("idp_error:invalid_redirect_uri", at: since, redirect: bad),  // edge: in
                    Seed.started(at: until - 5 * day, requested: ["openid", "read-billing"], redirect: bad),
                    Seed.success("u-1", "one", at: until - 5 * day + 60, granted: ["openid"], requested: ["openid", "read-billing"]),
                    Seed.failure("idp_error:invalid_redirect_uri", at: until, redirect: bad),  // edge: in
                    Seed.failure("idp_error:invalid_redirect_uri", at: until + 1, redirect: bad),  // just after: out
                ])
            let context = try #require(try f.reports.contexts(spaces: [SpaceID("acme/app")!], since: since, until: until).first)
            #expect(context.providerErrors == [ObservedValue("invalid_redirect_uri", count: 2, firstSeen: since, lastSeen: until)])
            #expect(context.redirectURIs.map(\.count) == [3])
            #expect(context.scopesRequested.first { $0.value == "read-billing" }?.count == 2)
            #expect(context.scopesGranted.map(\.value) == ["openid"])
            #expect((context.signInCount, context.firstSignIn) == (1, until - 5 * day + 60))
            var reference = SpaceContext(spaceID: SpaceID("acme/app")!)
            reference.observe(f.appended.filter { $0.occurredAt >= since && $0.occurredAt <= until })
            #expect(Rules.evaluate(context) == Rules.evaluate(reference))
            #expect(Rules.evaluate(context).contains { $0.ruleID == "R008" && $0.count == 2 })
        }
    }
}
