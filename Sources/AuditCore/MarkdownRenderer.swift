import Foundation

/// `--format markdown`: a PR comment or issue body. User-controlled text (URIs, usernames)
/// is escaped so it cannot break the table or inject links/HTML.
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func render(_ r: Report) -> String {
        let s = r.findingsBySeverity
        var out = "## SpaceAudit report\n\n"
        out += "Window \(RFC3339.format(r.since)) – \(RFC3339.format(r.until)). "
        out += "**\(s.error) error(s), \(s.warning) warning(s), \(s.info) info** across \(r.totals.spaces) Space(s).\n\n"
        out += "| Space | Active 1d | 7d | 30d | New | Returning | Last sign-in |\n|---|--:|--:|--:|--:|--:|---|\n"
        for sp in r.spaces {
            let a = sp.activeUsers
            out +=
                "| \(cell(sp.spaceID.description)) | \(a.active1d) | \(a.active7d) | \(a.active30d) | \(a.newUsers) | "
                + "\(a.returningUsers) | \(a.lastSignIn.map(RFC3339.format) ?? "–") |\n"
        }
        let findings = r.spaces.flatMap(\.findings)
        if !findings.isEmpty {
            out += "\n### Findings\n\n| Severity | Rule | Space | Seen | Count | Fix |\n|---|---|---|---|--:|---|\n"
            for f in findings {
                let icon = f.severity == .error ? "🔴" : f.severity == .warning ? "🟡" : "🔵"
                out +=
                    "| \(icon) \(f.severity.rawValue) | \(f.ruleID) | \(cell(f.spaceID.description)) | \(code(f.seen)) | \(f.count) | \(cell(f.fix)) |\n"
            }
        }
        let grants = r.spaces.flatMap { sp in sp.scopeGrants.scopes.map { (sp.spaceID, $0) } }
        if !grants.isEmpty {
            out += "\n### Scope grants\n\n| Space | Scope | Risk | Users | Last grant |\n|---|---|---|--:|---|\n"
            for (id, g) in grants {
                out += "| \(cell(id.description)) | `\(g.scope)` | \(g.risk.rawValue) | \(g.users) | \(RFC3339.format(g.lastGranted)) |\n"
            }
        }
        return out
    }

    /// Escapes Markdown/HTML specials and flattens newlines so a cell stays one cell.
    func cell(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "|", "\\", "*", "_", "`", "[", "]", "<", ">", "#", "!": out += "\\\(ch)"
            case "\r\n", "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// Inline code for URIs: backticks in the value are replaced, pipes escaped.
    func code(_ text: String) -> String {
        let flat = text.map { $0.isNewline ? " " : $0 == "`" ? "'" : $0 }.map(String.init).joined()
        return "`" + flat.replacingOccurrences(of: "|", with: "\\|") + "`"
    }
}
