import Foundation

/// The whole `spaceaudit report` result. Its JSON shape (snake_case keys, sorted, RFC 3339
/// UTC dates) is documented in docs/report-format.md and is a public contract.
public struct Report: Sendable, Equatable, Codable {
    public struct SpaceReport: Sendable, Equatable, Codable {
        public var spaceID: SpaceID
        public var activeUsers: ActiveUsers
        public var scopeGrants: ScopeGrants
        public var findings: [Finding]

        enum CodingKeys: String, CodingKey {
            case spaceID = "space"
            case activeUsers = "active_users"
            case scopeGrants = "scope_grants"
            case findings
        }
    }

    /// Across all Spaces in the report. Users are counted once even when active in several
    /// Spaces (distinct user_sub), so totals are not the sum of the per-Space numbers.
    public struct Totals: Sendable, Equatable, Codable {
        public var spaces: Int
        public var active1d: Int
        public var active7d: Int
        public var active30d: Int
        /// Sums of the daily rows inside the window (since…until).
        public var successes: Int
        public var failures: Int
        public var findings: Int

        enum CodingKeys: String, CodingKey {
            case spaces
            case active1d = "active_1d"
            case active7d = "active_7d"
            case active30d = "active_30d"
            case successes, failures, findings
        }
    }

    public struct SeverityCounts: Sendable, Equatable, Codable {
        public var error = 0
        public var warning = 0
        public var info = 0
    }

    public var generatedAt: Date
    public var since: Date
    /// Also the `now` that active-user windows are measured from.
    public var until: Date
    public var spaces: [SpaceReport]
    public var totals: Totals
    public var findingsBySeverity: SeverityCounts

    /// Builds the report from store rows and rule output. `spaces` lists the Spaces to
    /// include (rows of other Spaces are ignored); an empty list means every Space that
    /// appears in the rows or findings. Spaces are ordered by id.
    public init(generatedAt: Date, since: Date, until: Date, spaces requested: [SpaceID] = [], rows: ReportRows, findings: [Finding]) {
        var ids = Set(requested)
        if ids.isEmpty {
            ids.formUnion(rows.users.map(\.spaceID))
            ids.formUnion(rows.daily.map(\.spaceID))
            ids.formUnion(rows.grants.map(\.spaceID))
            ids.formUnion(findings.map(\.spaceID))
        }
        self.generatedAt = generatedAt
        self.since = since
        self.until = until
        self.spaces = ids.sorted().map { id in
            SpaceReport(
                spaceID: id,
                activeUsers: ActiveUsers(spaceID: id, users: rows.users, daily: rows.daily, since: since, now: until),
                scopeGrants: ScopeGrants(spaceID: id, rows: rows.grants),
                findings: findings.filter { $0.spaceID == id }.sorted(by: Finding.reportOrder))
        }
        let users = rows.users.filter { ids.contains($0.spaceID) && $0.lastSuccessAt <= until }
        func distinct(_ days: Int) -> Int {
            Set(users.filter { ActiveUsers.within($0.lastSuccessAt, days: days, of: until) }.map(\.userSub)).count
        }
        let sinceDay = RFC3339.startOfDay(since)
        let days = rows.daily.filter { ids.contains($0.spaceID) && $0.day >= sinceDay && $0.day <= until }
        let all = self.spaces.flatMap(\.findings)
        totals = Totals(
            spaces: ids.count, active1d: distinct(1), active7d: distinct(7), active30d: distinct(30),
            successes: days.reduce(0) { $0 + $1.successes }, failures: days.reduce(0) { $0 + $1.failures },
            findings: all.count)
        var counts = SeverityCounts()
        for f in all {
            switch f.severity {
            case .error: counts.error += 1
            case .warning: counts.warning += 1
            case .info: counts.info += 1
            }
        }
        findingsBySeverity = counts
    }

    /// `--fail-on`: true when any finding is at or above `threshold`.
    public func exceeds(threshold: Severity) -> Bool {
        spaces.contains { $0.findings.contains { $0.severity >= threshold } }
    }

    enum CodingKeys: String, CodingKey {
        case generatedAt = "generated_at"
        case since, until, spaces, totals
        case findingsBySeverity = "findings_by_severity"
    }
}
