import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// Report numbers from the rollups against answers computed by hand, at the window edges.
@Suite struct ReportStoreTests {
    let until = Seed.until
    let day = Seed.day
    let hour = Seed.hour

    /// acme/app: alice (first success 40 days ago, again 2 h ago), bob exactly 7 days ago,
    /// carol 3 days ago, frank exactly 30 days ago, dave only failures, eve after `until`.
    /// acme/other: alice again (the same sub) 1 h ago.
    func seedEdges(_ f: inout ReportFixture) throws {
        try f.append(
            "acme/app",
            [
                Seed.success("u-alice", "alice", at: until - 40 * day),
                Seed.success("u-frank", "frank", at: until - 30 * day),
                Seed.success("u-bob", "bob", at: until - 7 * day),
                Seed.success("u-carol", "carol", at: until - 3 * day, granted: ["openid", "write-repos"]),
                Seed.failure("state_mismatch", sub: "u-dave", at: until - 1 * day),
                Seed.failure("idp_error:access_denied", sub: "u-dave", at: until - 1 * day + 60),
                Seed.success("u-alice", "alice", at: until - 2 * hour, granted: ["openid", "profile", "read-repos"]),
                Seed.success("u-eve", "eve", at: until + 1 * hour),
            ])
        try f.append("acme/other", [Seed.success("u-alice", "alice", at: until - 1 * hour)])
    }

    @Test func activeUsersAtTheWindowEdges() throws {
        try ReportFixture.with { f in
            try seedEdges(&f)
            let rows = try f.reports.rows(spaces: [SpaceID("acme/app")!, SpaceID("acme/other")!], since: until - 30 * day, until: until)
            let report = Report(generatedAt: until, since: until - 30 * day, until: until, rows: rows, findings: [])
            let app = report.spaces[0].activeUsers
            #expect(report.spaces.map(\.spaceID.description) == ["acme/app", "acme/other"])
            #expect(app.active1d == 1)  // alice
            #expect(app.active7d == 2)  // alice, carol; bob is exactly 7 days old
            #expect(app.active30d == 3)  // + bob; frank is exactly 30 days old
            #expect(app.newUsers == 2)  // bob, carol
            #expect(app.returningUsers == 1)  // alice, first seen 40 days ago
            #expect(app.lastSignIn == until - 2 * hour)  // eve's later sign-in is after until
            #expect(!rows.users.contains { $0.userSub == "u-eve" })
            #expect(!rows.users.contains { $0.userSub == "u-dave" })  // failures never count
            // alice is active in both Spaces and counted once in the totals.
            #expect(report.totals.active1d == 1)
            #expect(report.totals.active30d == 3)
            // In the window from since's day: frank, bob, carol, alice (app) + alice (other).
            #expect(report.totals.successes == 5)
            #expect(report.totals.failures == 2)
            let dave = rows.daily.first { $0.spaceID.description == "acme/app" && RFC3339.day($0.day) == "2026-08-21" }
            #expect(dave?.failures == 2)
            #expect(dave?.successes == 0)
        }
    }

    @Test func scopeGrantsPerScopeAndUser() throws {
        try ReportFixture.with { f in
            try seedEdges(&f)
            let rows = try f.reports.rows(spaces: [SpaceID("acme/app")!], since: until - 30 * day, until: until)
            let grants = ScopeGrants(spaceID: SpaceID("acme/app")!, rows: rows.grants)
            #expect(grants.scopes.map(\.scope) == ["write-repos", "read-repos", "openid", "profile"])
            let openid = grants.scopes.first { $0.scope == "openid" }
            #expect(openid?.users == 4)  // alice, frank, bob, carol; eve's grant is after until
            #expect(grants.scopes.first { $0.scope == "profile" }?.users == 3)  // carol was not granted it
            #expect(openid?.firstGranted == until - 40 * day)
            #expect(openid?.lastGranted == until - 2 * hour)
            #expect(grants.users.first { $0.userSub == "u-carol" }?.scopes == ["openid", "write-repos"])
            #expect(grants.users.first { $0.userSub == "u-alice" }?.scopes == ["openid", "profile", "read-repos"])
        }
    }

    /// A report as of a past instant in the middle of a day: the later sign-ins of that day
    /// and of later days must not move "last sign-in" or "last grant".
    @Test func asOfAPastInstantIsExact() throws {
        try ReportFixture.with { f in
            let t0 = until - 10 * day
            try f.append(
                "acme/app",
                [
                    Seed.success("u-a", "a", at: t0 - 3 * day),
                    Seed.success("u-a", "a", at: t0 - 2 * hour, granted: ["openid", "read-repos"]),
                    Seed.success("u-a", "a", at: t0 + 1 * hour, granted: ["openid", "read-repos"]),
                    Seed.success("u-a", "a", at: t0 + 2 * day, granted: ["openid", "read-repos"]),
                ])
            let rows = try f.reports.rows(spaces: [SpaceID("acme/app")!], since: t0 - 30 * day, until: t0)
            #expect(rows.users.map(\.lastSuccessAt) == [t0 - 2 * hour])
            #expect(rows.grants.first { $0.scope == "read-repos" }?.lastGrantedAt == t0 - 2 * hour)
            let reference = ReportRows.from(events: f.appended, until: t0)
            #expect(rows.users.map(\.lastSuccessAt) == reference.users.map(\.lastSuccessAt))
            #expect(rows.grants.map(\.lastGrantedAt) == reference.grants.map(\.lastGrantedAt))
        }
    }
}
