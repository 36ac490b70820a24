import AuditCore
import AuditPostgres
import Foundation

/// Export filters from the command line or a query string, checked the same way for both.
/// Times: RFC 3339 (`2026-05-01T00:00:00Z`), a UTC date (`2026-05-01`), or an age relative
/// to now (`30d`, `12h`, `90m`).
struct ExportFilterParser {
    let now: Date

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    func parse(spaces: [String], since: String?, until: String?, events: [String], users: [String]) throws(Problem) -> EventFilter {
        var filter = EventFilter()
        for text in spaces {
            guard let id = SpaceID(text) else {
                throw Problem(description: "'\(Self.shown(text))' is not a Space ID of the form owner/name")
            }
            filter.spaceIDs.append(id.description)
        }
        filter.since = try since.map { text throws(Problem) in try time(text, "since") }
        filter.until = try until.map { text throws(Problem) in try time(text, "until") }
        if let since = filter.since, let until = filter.until, since >= until {
            throw Problem(description: "--since must be before --until")
        }
        for text in events {
            guard LoginEvent.Kind(rawValue: text) != nil else {
                throw Problem(
                    description:
                        "unknown event '\(Self.shown(text))' (one of \(LoginEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            filter.events.append(text)
        }
        for text in users {
            guard !text.isEmpty, text.count <= 256, !text.utf8.contains(0) else {
                throw Problem(description: "--user must be a user sub or username")
            }
            filter.users.append(text)
        }
        return filter
    }

    func time(_ text: String, _ name: String) throws(Problem) -> Date {
        if let date = RFC3339.parse(text) { return date }
        if let date = RFC3339.parse(text + "T00:00:00Z"), text.count == 10 { return date }
        if let unit = text.last, let amount = Int(text.dropLast()), amount >= 0, amount <= 100_000 {
            let seconds: Double? = ["d": 86_400, "h": 3_600, "m": 60][unit]
            if let seconds { return now.addingTimeInterval(-Double(amount) * seconds) }
        }
        throw Problem(description: "--\(name) '\(Self.shown(text))' is not a time (RFC 3339, YYYY-MM-DD, or an age like 30d, 12h)")
    }

    /// Echoed input, cut short and stripped of control characters.
    static func shown(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(60).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
