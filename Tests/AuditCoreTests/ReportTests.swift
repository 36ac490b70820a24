import Foundation
import Testing

@testable import AuditCore

/// Seeded events around the window edges; every expected number is worked out by hand in
/// the comments (now = 2026-08-22T12:00:00Z, since = now - 30 days).
@Suite("Reports")
struct ReportTests {
    static let a = Fixture.space, b = Fixture.other
    static func ok(_ space: SpaceID, _ sub: String, _ at: Date, granted: [String] = []) -> LoginEvent {
        LoginEvent(
            eventID: UUID().uuidString, spaceID: space, occurredAt: at, event: .loginSucceeded, outcome: .success,
            userSub: sub, username: sub.replacingOccurrences(of: "u-", with: ""), scopesGranted: granted)
    }
    static func fail(_ space: SpaceID, _ at: Date) -> LoginEvent {
        LoginEvent(
            eventID: UUID().uuidString, spaceID: space, occurredAt: at, event: .loginFailed, outcome: .failure,
            reason: "state_mismatch", userSub: "u-erin")
    }

    static let events: [LoginEvent] = [
        ok(a, "u-alice", Fixture.ago(days: 40)),  // first ever: alice is returning
        ok(a, "u-alice", Fixture.ago(days: 0, hours: 2), granted: ["openid", "profile", "email"]),  // 1d
        ok(b, "u-alice", Fixture.ago(days: 5), granted: ["openid", "profile", "read-repos"]),  // same user, other Space
        ok(a, "u-bob", Fixture.ago(days: 7), granted: ["openid", "profile", "write-repos"]),  // exactly 7d: 30d only
        ok(a, "u-carol", Fixture.ago(days: 1)),  // exactly 1d: 7d, not 1d
        ok(a, "u-dave", Fixture.ago(days: 30)),  // exactly 30d: not active
        ok(a, "u-frank", Fixture.ago(days: 29, hours: 23)),  // just inside 30d
        fail(a, Fixture.ago(days: 2)), fail(a, Fixture.ago(days: 2, hours: 1)),  // failures never count as users
        LoginEvent(eventID: "x", spaceID: a, occurredAt: Fixture.ago(days: 3), event: .logout, userSub: "u-zed"),
        ok(a, "u-gus", Fixture.now.addingTimeInterval(3600)),  // after `until`: ignored
    ]

    static func report(findings: [Finding] = []) -> Report {
        let rows = ReportRows.from(events: events, until: Fixture.now)
        return Report(generatedAt: Fixture.now, since: Fixture.ago(days: 30), until: Fixture.now, rows: rows, findings: findings)
    }

    @Test func windowEdges() {
        let r = Self.report()
        #expect(r.spaces.map(\.spaceID) == [Self.a, Self.b])
        let au = r.spaces[0].activeUsers
        #expect((au.active1d, au.active7d, au.active30d) == (1, 2, 4))  // alice | alice carol | alice bob carol frank
        #expect((au.newUsers, au.returningUsers) == (3, 1))  // bob carol frank | alice
        #expect(au.lastSignIn == Fixture.ago(days: 0, hours: 2))
        #expect(au.users.map(\.userSub) == ["u-alice", "u-carol", "u-bob", "u-frank"])
        let bu = r.spaces[1].activeUsers
        #expect((bu.active1d, bu.active7d, bu.active30d, bu.newUsers, bu.returningUsers) == (0, 1, 1, 1, 0))
    }

    @Test func totalsCountAUserInTwoSpacesOnce() {
        let t = Self.report().totals
        #expect((t.active1d, t.active7d, t.active30d) == (1, 2, 4))
        // Successes on UTC days 07-23…08-22: dave (07-23 12:00), frank, bob, carol, alice A, alice B = 6.
        #expect((t.successes, t.failures, t.spaces) == (6, 2, 2))
    }

    @Test func dailySeries() {
        let daily = Self.report().spaces[0].activeUsers.daily
        #expect(daily.count == 31 && daily.first?.day == "2026-07-23" && daily.last?.day == "2026-08-22")
        let aug20 = daily.first { $0.day == "2026-08-20" }!
        #expect((aug20.successes, aug20.failures, aug20.distinctUsers) == (0, 2, 0))
        let jul23 = daily.first { $0.day == "2026-07-23" }!
        #expect((jul23.successes, jul23.distinctUsers) == (2, 2))  // dave 12:00 and frank 13:00
        #expect(daily.reduce(0) { $0 + $1.successes } == 5)
    }

    @Test func activeWindowIsHalfOpen() {
        #expect(ActiveUsers.within(Fixture.ago(days: 7), days: 7, of: Fixture.now) == false)
        #expect(ActiveUsers.within(Fixture.ago(days: 7).addingTimeInterval(0.001), days: 7, of: Fixture.now))
        #expect(ActiveUsers.within(Fixture.now, days: 1, of: Fixture.now))
        #expect(ActiveUsers.within(Fixture.now.addingTimeInterval(1), days: 1, of: Fixture.now) == false)
    }

    @Test func scopeGrants() {
        let g = Self.report().spaces[0].scopeGrants
        #expect(g.scopes.map(\.scope) == ["write-repos", "email", "openid", "profile"])
        #expect(g.scopes.map(\.users) == [1, 1, 2, 2])
        #expect(g.scopes[0].risk == .critical && g.scopes[0].firstGranted == Fixture.ago(days: 7))
        #expect(g.users.map(\.userSub) == ["u-alice", "u-bob"])
        #expect(g.users[1].scopes == ["openid", "profile", "write-repos"])
        #expect(Self.report().spaces[1].scopeGrants.scopes.first?.scope == "read-repos")
    }

    @Test(arguments: [
        ([Severity](), Severity.info, false), ([.info], .info, true), ([.info], .warning, false),
        ([.warning], .warning, true), ([.warning], .error, false), ([.error, .info], .warning, true),
    ])
    func exceeds(severities: [Severity], threshold: Severity, expected: Bool) {
        let findings = severities.map { Finding(ruleID: "S004", severity: $0, spaceID: Self.a, seen: "x", expected: "y", fix: "z") }
        let r = Self.report(findings: findings)
        #expect(r.exceeds(threshold: threshold) == expected)
        #expect(r.findingsBySeverity.error + r.findingsBySeverity.warning + r.findingsBySeverity.info == severities.count)
    }

    @Test func requestedSpacesFilterRows() {
        let rows = ReportRows.from(events: Self.events, until: Fixture.now)
        let r = Report(
            generatedAt: Fixture.now, since: Fixture.ago(days: 30), until: Fixture.now, spaces: [Self.b], rows: rows, findings: [])
        #expect(r.spaces.map(\.spaceID) == [Self.b] && r.totals.active30d == 1 && r.totals.failures == 0)
    }
}
