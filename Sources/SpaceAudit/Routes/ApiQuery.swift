import AuditCore
import AuditHTTP
import AuditPostgres
import Foundation

/// Reads the dashboard API's query parameters. Every malformed value is a 400 naming the
/// parameter and what it accepts; nothing is guessed or silently clamped.
struct ApiQuery {
    let request: Request
    let now: Date

    /// The first value of `name`, nil when absent or empty (an empty form field means "any").
    func value(_ name: String) -> String? {
        guard let value = request.query(name), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard text.count <= 6, text.allSatisfy({ ("0"..."9").contains($0) }), let number = Int(text), range.contains(number) else {
            throw HTTPError.badRequest("'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// An instant: RFC 3339 (`2026-08-01T12:00:00Z`), a UTC day (`2026-08-01`, its midnight) or an
    /// age relative to now (`30d`, `12h`).
    func instant(_ name: String) throws -> Date? {
        guard let text = value(name) else { return nil }
        if let date = RFC3339.parse(text) { return date }
        if text.count == 10, let date = RFC3339.parse(text + "T00:00:00Z") { return date }
        if let unit = text.last, unit == "d" || unit == "h", text.count <= 6,
            let amount = Int(text.dropLast()), amount >= 0, text.dropLast().allSatisfy({ ("0"..."9").contains($0) })
        {
            return now.addingTimeInterval(-Double(amount) * (unit == "d" ? 86_400 : 3_600))
        }
        throw HTTPError.badRequest("'\(name)' must be an RFC 3339 time, a YYYY-MM-DD day, or an age like 30d or 12h")
    }

    /// The event-log filter from `event`, `outcome`, `user`, `since` and `until`.
    func eventFilter() throws -> EventLogFilter {
        var filter = EventLogFilter()
        if let text = value("event") {
            guard let kind = LoginEvent.Kind(rawValue: text) else {
                let known = LoginEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError.badRequest("'event' must be one of \(known)")
            }
            filter.event = kind
        }
        if let text = value("outcome") {
            guard let outcome = LoginEvent.Outcome(rawValue: text) else {
                throw HTTPError.badRequest("'outcome' must be success or failure")
            }
            filter.outcome = outcome
        }
        if let user = value("user") {
            guard user.utf8.count <= 256 else { throw HTTPError.badRequest("'user' is longer than 256 bytes") }
            filter.user = user
        }
        filter.since = try instant("since")
        filter.until = try instant("until")
        if let since = filter.since, let until = filter.until, since >= until {
            throw HTTPError.badRequest("'since' must be earlier than 'until'")
        }
        return filter
    }

    func cursor() throws -> EventCursor? {
        guard let token = value("cursor") else { return nil }
        guard let cursor = EventCursor(token: token) else {
            throw HTTPError.badRequest("'cursor' is not a cursor this API handed out; start again without it")
        }
        return cursor
    }
}
