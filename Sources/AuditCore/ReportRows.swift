import Foundation

/// Pre-aggregated inputs to the reports, one struct per GROUP BY the store runs. Keeping
/// them as plain rows lets PostgreSQL do the heavy lifting while the arithmetic that turns
/// rows into numbers stays here, pure and tested. `from(events:)` is the reference
/// implementation of those queries (used by tests and `demo`).

/// Per (Space, user): first and last successful sign-in ever, up to the report's `until`.
public struct UserActivityRow: Sendable, Equatable, Codable {
    public var spaceID: SpaceID
    public var userSub: String
    public var username: String?
    public var firstSuccessAt: Date
    public var lastSuccessAt: Date
    public var successes: Int

    public init(spaceID: SpaceID, userSub: String, username: String? = nil, firstSuccessAt: Date, lastSuccessAt: Date, successes: Int = 1) {
        self.spaceID = spaceID
        self.userSub = userSub
        self.username = username
        self.firstSuccessAt = firstSuccessAt
        self.lastSuccessAt = lastSuccessAt
        self.successes = successes
    }
}

/// Per (Space, UTC day): `login_succeeded` and `login_failed` counts and distinct successful users.
public struct DailyRow: Sendable, Equatable, Codable {
    public var spaceID: SpaceID
    /// Midnight UTC.
    public var day: Date
    public var successes: Int
    public var failures: Int
    public var distinctUsers: Int

    public init(spaceID: SpaceID, day: Date, successes: Int, failures: Int, distinctUsers: Int) {
        self.spaceID = spaceID
        self.day = RFC3339.startOfDay(day)
        self.successes = successes
        self.failures = failures
        self.distinctUsers = distinctUsers
    }
}

/// Per (Space, user, scope granted on a successful sign-in): first and last grant.
public struct ScopeGrantRow: Sendable, Equatable, Codable {
    public var spaceID: SpaceID
    public var userSub: String
    public var username: String?
    public var scope: String
    public var firstGrantedAt: Date
    public var lastGrantedAt: Date

    public init(spaceID: SpaceID, userSub: String, username: String? = nil, scope: String, firstGrantedAt: Date, lastGrantedAt: Date) {
        self.spaceID = spaceID
        self.userSub = userSub
        self.username = username
        self.scope = scope
        self.firstGrantedAt = firstGrantedAt
        self.lastGrantedAt = lastGrantedAt
    }
}

public struct ReportRows: Sendable, Equatable {
    public var users: [UserActivityRow] = []
    public var daily: [DailyRow] = []
    public var grants: [ScopeGrantRow] = []

    public init(users: [UserActivityRow] = [], daily: [DailyRow] = [], grants: [ScopeGrantRow] = []) {
        self.users = users
        self.daily = daily
        self.grants = grants
    }

    /// Aggregates raw events that occurred at or before `until` (later ones are ignored so a
    /// report "as of" a past instant is reproducible). Only `login_succeeded` with a user_sub
    /// counts as a sign-in; `login_failed` counts as a failure; other kinds are ignored.
    /// Username is the most recent one seen (renames happen; the sub is the key).
    public static func from(events: [LoginEvent], until: Date) -> ReportRows {
        struct Key: Hashable {
            let space: SpaceID
            let a: String
            let b: String
        }
        var users: [Key: UserActivityRow] = [:]
        var days: [Key: (s: Int, f: Int, subs: Set<String>)] = [:]
        var grants: [Key: ScopeGrantRow] = [:]
        for e in events.sorted(by: { $0.occurredAt < $1.occurredAt }) where e.occurredAt <= until {
            let dayKey = Key(space: e.spaceID, a: RFC3339.day(e.occurredAt), b: "")
            if e.event == .loginFailed { days[dayKey, default: (0, 0, [])].f += 1 }
            guard e.event == .loginSucceeded, let sub = e.userSub else { continue }
            days[dayKey, default: (0, 0, [])].s += 1
            days[dayKey, default: (0, 0, [])].subs.insert(sub)
            let uk = Key(space: e.spaceID, a: sub, b: "")
            var row =
                users[uk]
                ?? UserActivityRow(
                    spaceID: e.spaceID, userSub: sub, firstSuccessAt: e.occurredAt, lastSuccessAt: e.occurredAt, successes: 0)
            row.username = e.username ?? row.username
            row.lastSuccessAt = e.occurredAt
            row.successes += 1
            users[uk] = row
            for scope in Set(e.scopesGranted) {
                let gk = Key(space: e.spaceID, a: sub, b: scope)
                var g =
                    grants[gk]
                    ?? ScopeGrantRow(
                        spaceID: e.spaceID, userSub: sub, scope: scope, firstGrantedAt: e.occurredAt, lastGrantedAt: e.occurredAt)
                g.username = e.username ?? g.username
                g.lastGrantedAt = e.occurredAt
                grants[gk] = g
            }
        }
        let daily = days.map { k, v in
            DailyRow(spaceID: k.space, day: RFC3339.parse(k.a + "T00:00:00Z")!, successes: v.s, failures: v.f, distinctUsers: v.subs.count)
        }
        return ReportRows(
            users: users.values.sorted { ($0.spaceID, $0.userSub) < ($1.spaceID, $1.userSub) },
            daily: daily.sorted { ($0.spaceID, $0.day) < ($1.spaceID, $1.day) },
            grants: grants.values.sorted { ($0.spaceID, $0.scope, $0.userSub) < ($1.spaceID, $1.scope, $1.userSub) })
    }
}
