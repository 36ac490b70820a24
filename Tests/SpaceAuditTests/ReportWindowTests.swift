import AuditCore
import Foundation
import Testing

@testable import SpaceAudit

@Suite struct ReportWindowTests {
    let now = RFC3339.parse("2026-08-22T12:00:00Z")!

    @Test func defaultsAreThirtyDaysToNow() throws {
        let window = try ReportWindow.parse(since: nil, until: nil, now: now)
        #expect(window.until == now)
        #expect(window.since == now.addingTimeInterval(-30 * 86_400))
    }

    @Test(arguments: [
        ("30d", "2026-07-23T12:00:00Z"), ("12h", "2026-08-22T00:00:00Z"), ("1h", "2026-08-22T11:00:00Z"),
        ("2026-08-01", "2026-08-01T00:00:00Z"), ("2026-08-01T10:30:00+02:00", "2026-08-01T08:30:00Z"),
        ("2026-08-21T23:59:59.5Z", "2026-08-21T23:59:59.500000Z"),
    ])
    func sinceForms(text: String, expected: String) throws {
        let window = try ReportWindow.parse(since: text, until: nil, now: now)
        #expect(RFC3339.format(window.since) == expected)
    }

    /// A relative `since` counts back from `until`, a relative `until` from now.
    @Test func relativeSinceIsMeasuredFromUntil() throws {
        let window = try ReportWindow.parse(since: "7d", until: "2026-08-10", now: now)
        #expect(RFC3339.format(window.until) == "2026-08-10T00:00:00Z")
        #expect(RFC3339.format(window.since) == "2026-08-03T00:00:00Z")
        let relative = try ReportWindow.parse(since: "1d", until: "2d", now: now)
        #expect(RFC3339.format(relative.until) == "2026-08-20T12:00:00Z")
        #expect(RFC3339.format(relative.since) == "2026-08-19T12:00:00Z")
    }

    @Test(arguments: [
        "", "d", "0d", "-3d", "3w", "3 d", "30D", "yesterday", "2026-02-30", "2026-8-1", "2026-08-01T25:00:00Z",
        "9999999d", "2026-08-01T10:00:00",
    ])
    func rejectsBadValues(text: String) {
        #expect(throws: ReportInputError.self) { try ReportWindow.parse(since: text, until: nil, now: now) }
    }

    @Test func sinceMustBeBeforeUntil() {
        #expect(throws: ReportInputError.self) { try ReportWindow.parse(since: "2026-08-22T12:00:00Z", until: nil, now: now) }
        #expect(throws: ReportInputError.self) { try ReportWindow.parse(since: "2026-09-01", until: "2026-08-01", now: now) }
        #expect(throws: ReportInputError.self) { try ReportWindow.parse(since: "2000-01-01", until: nil, now: now) }  // > 3660 days
    }

    @Test func formatsAndThresholds() throws {
        #expect(try ReportCommand.format(nil) == .table)
        #expect(try ReportCommand.format("csv") == .csv)
        #expect(throws: UsageError.self) { try ReportCommand.format("xml") }
        #expect(try ReportCommand.threshold("warning") == .warning)
        #expect(try ReportCommand.threshold(nil) == nil)
        #expect(throws: UsageError.self) { try ReportCommand.threshold("fatal") }
    }
}
