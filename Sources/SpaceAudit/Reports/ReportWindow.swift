import AuditCore
import Foundation

/// The time window of a report, from `--since`/`--until` (CLI) or `since`/`until` (API).
///
/// Accepted forms: a duration `30d` / `12h` (N ≥ 1), an RFC 3339 instant, or a `YYYY-MM-DD`
/// day (its 00:00:00Z). A duration in `since` counts back from `until`; in `until`, from now.
/// Defaults: `until` = now, `since` = `until` − 30 days. `since` must be before `until`.
struct ReportWindow: Sendable, Equatable {
    let since: Date
    let until: Date

    static let defaultSince = "30d"
    /// Ten years: the daily series is capped there anyway, and it stops a typo like `30000d`.
    static let maxDays = 3_660

    static func parse(since: String?, until: String?, now: Date) throws(ReportInputError) -> ReportWindow {
        let untilDate = try until.map { text throws(ReportInputError) in try instant(text, name: "until", relativeTo: now) } ?? now
        let sinceDate = try instant(since ?? defaultSince, name: "since", relativeTo: untilDate)
        guard sinceDate < untilDate else {
            throw ReportInputError("since (\(RFC3339.format(sinceDate))) must be before until (\(RFC3339.format(untilDate)))")
        }
        guard untilDate.timeIntervalSince(sinceDate) <= Double(maxDays) * 86_400 else {
            throw ReportInputError("the window from since to until is longer than \(maxDays) days")
        }
        return ReportWindow(since: sinceDate, until: untilDate)
    }

    /// One value: a duration back from `reference`, an RFC 3339 instant or a UTC day.
    static func instant(_ text: String, name: String, relativeTo reference: Date) throws(ReportInputError) -> Date {
        let problem = ReportInputError(
            "invalid \(name) '\(text)': expected a duration like 30d or 12h, an RFC 3339 time like 2026-08-01T00:00:00Z, or a day like 2026-08-01"
        )
        if let unit = text.last, unit == "d" || unit == "h" {
            let digits = text.dropLast()
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy(\.isASCII), let count = Int(digits), count >= 1 else {
                throw problem
            }
            let hours = unit == "d" ? count * 24 : count
            guard hours <= maxDays * 24 else { throw ReportInputError("\(name) '\(text)' is more than \(maxDays) days back") }
            return reference.addingTimeInterval(-Double(hours) * 3_600)
        }
        if text.utf8.count == 10 {
            // Round-trip check: RFC3339.parse would roll 2026-02-30 over into March.
            guard let date = RFC3339.parse(text + "T00:00:00Z"), RFC3339.day(date) == text else { throw problem }
            return date
        }
        guard let date = RFC3339.parse(text) else { throw problem }
        return date
    }
}

/// Input to a report that cannot be used: a usage error on the CLI, a 400 from the API.
struct ReportInputError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
