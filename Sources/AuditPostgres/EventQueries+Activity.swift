import AuditCore
import Foundation

/// Sign-in activity of one Space over the last `days` UTC days (today included).
public struct SpaceActivity: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD`, UTC.
        public let day: String
        public let successes: Int
        public let failures: Int
    }

    public let spaceID: SpaceID
    /// Distinct users (by `user_sub`) with a successful sign-in in the rolling window
    /// `now − N days < occurred_at ≤ now`, the same edges as the report (docs/report-format.md).
    public let active1d: Int
    public let active7d: Int
    public let active30d: Int
    /// Sums of `daily`.
    public let successes: Int
    public let failures: Int
    public let lastSignIn: Date?
    public let lastEventAt: Date?
    /// One zero-filled point per UTC day, oldest first.
    public let daily: [Day]
    /// Distinct scopes granted at successful sign-ins inside the window.
    public let grantedScopes: [String]
}

extension EventQueries {
    /// Activity of each Space in `spaceIDs` as of `now` (Spaces without events get zeros).
    /// Scans only the window's rows through the (space_id, occurred_at) index.
    public func activity(of spaceIDs: [SpaceID], now: Date, days: Int) throws -> [SpaceActivity] {
        precondition(days >= 1, "a window has at least one day")
        guard !spaceIDs.isEmpty else { return [] }
        let ids = spaceIDs.map(\.description)
        let firstDay = RFC3339.startOfDay(now.addingTimeInterval(-Double(days - 1) * 86_400))
        // The scan starts at whichever is earlier: the first day shown or the 30-day active window.
        let scanFrom = min(firstDay, now.addingTimeInterval(-30 * 86_400))
        let (totals, daily, scopes) = try pool.withConnection { connection in
            let totals = try connection.query(
                """
                SELECT space_id,
                       count(DISTINCT user_sub) FILTER (WHERE ok AND occurred_at > \(now) - interval '1 day') AS active_1d,
                       count(DISTINCT user_sub) FILTER (WHERE ok AND occurred_at > \(now) - interval '7 days') AS active_7d,
                       count(DISTINCT user_sub) FILTER (WHERE ok AND occurred_at > \(now) - interval '30 days') AS active_30d,
                       max(occurred_at) FILTER (WHERE event = 'login_succeeded') AS last_sign_in,
                       max(occurred_at) AS last_event_at
                  FROM (SELECT *, event = 'login_succeeded' AND user_sub IS NOT NULL AS ok FROM login_events
                         WHERE space_id = ANY(\(ids)) AND occurred_at > \(scanFrom) AND occurred_at <= \(now)) AS recent
                 GROUP BY space_id
                """)
            let daily = try connection.query(
                """
                SELECT space_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                       count(*) FILTER (WHERE event = 'login_succeeded') AS successes,
                       count(*) FILTER (WHERE event = 'login_failed') AS failures
                  FROM login_events
                 WHERE space_id = ANY(\(ids)) AND occurred_at >= \(firstDay) AND occurred_at <= \(now)
                 GROUP BY 1, 2
                """)
            let scopes = try connection.query(
                """
                SELECT DISTINCT space_id, unnest(scopes_granted) AS scope
                  FROM login_events
                 WHERE space_id = ANY(\(ids)) AND event = 'login_succeeded' AND occurred_at > \(scanFrom) AND occurred_at <= \(now)
                """)
            return (totals, daily, scopes)
        }
        let totalsBySpace = try Dictionary(uniqueKeysWithValues: totals.map { (try $0.string("space_id"), $0) })
        var counts: [String: [String: (Int, Int)]] = [:]
        for row in daily {
            counts[try row.string("space_id"), default: [:]][try row.string("day")] =
                (try row.int("successes"), try row.int("failures"))
        }
        var granted: [String: [String]] = [:]
        for row in scopes { granted[try row.string("space_id"), default: []].append(try row.string("scope")) }
        let dayNames = (0..<days).map { RFC3339.day(firstDay.addingTimeInterval(Double($0) * 86_400)) }
        return try spaceIDs.map { id in
            let key = id.description
            let series = dayNames.map { day in
                let (successes, failures) = counts[key]?[day] ?? (0, 0)
                return SpaceActivity.Day(day: day, successes: successes, failures: failures)
            }
            let row = totalsBySpace[key]
            return SpaceActivity(
                spaceID: id, active1d: try row?.int("active_1d") ?? 0, active7d: try row?.int("active_7d") ?? 0,
                active30d: try row?.int("active_30d") ?? 0, successes: series.reduce(0) { $0 + $1.successes },
                failures: series.reduce(0) { $0 + $1.failures }, lastSignIn: try row?.optionalDate("last_sign_in"),
                lastEventAt: try row?.optionalDate("last_event_at"), daily: series,
                grantedScopes: (granted[key] ?? []).sorted())
        }
    }
}
