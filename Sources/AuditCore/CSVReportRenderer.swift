import Foundation

/// `--format csv`: one sheet a spreadsheet can filter. Column `record` says what a row is:
/// `finding` rows fill the finding columns, `user` rows (users active in the 30-day window,
/// with their granted scopes) fill the user columns; other cells stay empty.
/// Same RFC 4180 + formula-neutralisation rules as the audit CSV.
public struct CSVReportRenderer: Sendable {
    public static let columns = [
        "record", "space", "rule_id", "severity", "seen", "expected", "count", "first_seen", "last_seen", "fix",
        "user_sub", "username", "first_sign_in", "last_sign_in", "new", "scopes",
    ]

    public init() {}

    public func render(_ r: Report) -> String {
        var out = CSV.row(Self.columns)
        func d(_ date: Date?) -> String { date.map(RFC3339.format) ?? "" }
        for s in r.spaces {
            for f in s.findings {
                out += CSV.row([
                    "finding", s.spaceID.description, f.ruleID, f.severity.rawValue, f.seen, f.expected, "\(f.count)",
                    d(f.firstSeen), d(f.lastSeen), f.fix, "", "", "", "", "", "",
                ])
            }
            let scopes = Dictionary(uniqueKeysWithValues: s.scopeGrants.users.map { ($0.userSub, $0.scopes) })
            for u in s.activeUsers.users {
                out += CSV.row([
                    "user", s.spaceID.description, "", "", "", "", "", "", "", "",
                    u.userSub, u.username ?? "", d(u.firstSignIn), d(u.lastSignIn), u.isNew ? "true" : "false",
                    (scopes[u.userSub] ?? []).joined(separator: " "),
                ])
            }
        }
        return out
    }
}
