import Foundation

/// `--format table`: what a person reads in a terminal. ANSI colour only when `colour` is
/// true (the executable decides from isatty and NO_COLOR; this code reads neither).
public struct TableRenderer: Sendable {
    public var colour: Bool

    public init(colour: Bool = false) { self.colour = colour }

    public func render(_ r: Report) -> String {
        var out =
            "SpaceAudit report  \(RFC3339.format(r.since)) … \(RFC3339.format(r.until))  (generated \(RFC3339.format(r.generatedAt)))\n\n"
        let spaceRows = r.spaces.map { s -> [String] in
            let a = s.activeUsers
            let counts = Dictionary(grouping: s.findings, by: \.severity).mapValues(\.count)
            return [
                s.spaceID.description, "\(a.active1d)", "\(a.active7d)", "\(a.active30d)", "\(a.newUsers)", "\(a.returningUsers)",
                a.lastSignIn.map(RFC3339.format) ?? "-", "\(counts[.error] ?? 0)", "\(counts[.warning] ?? 0)", "\(counts[.info] ?? 0)",
            ]
        }
        out += TextTable(
            headers: ["SPACE", "1D", "7D", "30D", "NEW", "RETURNING", "LAST SIGN-IN", "ERROR", "WARN", "INFO"],
            rows: spaceRows, numeric: [1, 2, 3, 4, 5, 7, 8, 9]
        ).render()
        let t = r.totals
        out +=
            "\nTotal: \(t.spaces) space(s), active users 1d/7d/30d \(t.active1d)/\(t.active7d)/\(t.active30d), "
            + "sign-ins \(t.successes), failures \(t.failures), findings \(t.findings) "
            + "(\(r.findingsBySeverity.error) error, \(r.findingsBySeverity.warning) warning, \(r.findingsBySeverity.info) info)\n"

        let findings = r.spaces.flatMap(\.findings)
        if !findings.isEmpty {
            out += "\nFINDINGS\n"
            let rows = findings.map { [$0.severity.rawValue, $0.ruleID, $0.spaceID.description, "\($0.count)", $0.seen, $0.fix] }
            out += TextTable(headers: ["SEVERITY", "RULE", "SPACE", "COUNT", "SEEN", "FIX"], rows: rows, numeric: [3])
                .render { column, cell, padded in column == 0 ? paint(padded, cell) : padded }
        }
        let grants = r.spaces.flatMap { s in s.scopeGrants.scopes.map { (s.spaceID, $0) } }
        if !grants.isEmpty {
            out += "\nSCOPE GRANTS\n"
            let rows = grants.map { id, g in
                [id.description, g.scope, g.risk.rawValue, "\(g.users)", RFC3339.format(g.firstGranted), RFC3339.format(g.lastGranted)]
            }
            out += TextTable(headers: ["SPACE", "SCOPE", "RISK", "USERS", "FIRST GRANT", "LAST GRANT"], rows: rows, numeric: [3]).render()
        }
        return out
    }

    /// Red for errors, yellow for warnings, cyan for info.
    private func paint(_ padded: String, _ severity: String) -> String {
        guard colour, let s = Severity(rawValue: severity) else { return padded }
        let code = s == .error ? "31;1" : s == .warning ? "33" : "36"
        return "\u{1B}[\(code)m\(padded)\u{1B}[0m"
    }
}
