import Foundation

/// Active-user numbers for one Space as of `now`.
///
/// Window edges (all relative to `now`, durations of exactly N × 86 400 s, no calendar):
/// a user is active in the last N days when `now - N days < last success ≤ now`. So a
/// sign-in exactly 7 days old counts for 30d but not for 7d. A user is *new* when their
/// first-ever success falls in the 30-day window (same edge rule), otherwise *returning*.
/// new + returning = active30d.
public struct ActiveUsers: Sendable, Equatable, Codable {
    public struct DailyPoint: Sendable, Equatable, Codable {
        /// `YYYY-MM-DD`, UTC.
        public var day: String
        public var successes: Int
        public var failures: Int
        public var distinctUsers: Int

        enum CodingKeys: String, CodingKey {
            case day, successes, failures
            case distinctUsers = "distinct_users"
        }
    }

    public struct User: Sendable, Equatable, Codable {
        public var userSub: String
        public var username: String?
        public var firstSignIn: Date
        public var lastSignIn: Date
        public var isNew: Bool

        enum CodingKeys: String, CodingKey {
            case userSub = "user_sub"
            case username
            case firstSignIn = "first_sign_in"
            case lastSignIn = "last_sign_in"
            case isNew = "new"
        }
    }

    public var active1d: Int
    public var active7d: Int
    public var active30d: Int
    public var newUsers: Int
    public var returningUsers: Int
    public var lastSignIn: Date?
    /// One point per UTC day from `since`'s day to `now`'s day, zero-filled.
    public var daily: [DailyPoint]
    /// Users active in the 30-day window, most recent first.
    public var users: [User]

    public static let day: TimeInterval = 86_400

    /// True when `date` lies in the half-open window `(now - days, now]`.
    public static func within(_ date: Date, days: Int, of now: Date) -> Bool {
        date <= now && date > now.addingTimeInterval(-Double(days) * day)
    }

    /// `users` and `daily` may hold rows of other Spaces; only `spaceID`'s are used.
    public init(spaceID: SpaceID, users: [UserActivityRow], daily: [DailyRow], since: Date, now: Date) {
        let mine = users.filter { $0.spaceID == spaceID && $0.lastSuccessAt <= now }
        func count(_ days: Int) -> Int { mine.filter { Self.within($0.lastSuccessAt, days: days, of: now) }.count }
        active1d = count(1)
        active7d = count(7)
        active30d = count(30)
        let recent = mine.filter { Self.within($0.lastSuccessAt, days: 30, of: now) }
        newUsers = recent.filter { Self.within($0.firstSuccessAt, days: 30, of: now) }.count
        returningUsers = recent.count - newUsers
        lastSignIn = mine.map(\.lastSuccessAt).max()
        self.users =
            recent
            .map {
                User(
                    userSub: $0.userSub, username: $0.username, firstSignIn: $0.firstSuccessAt, lastSignIn: $0.lastSuccessAt,
                    isNew: Self.within($0.firstSuccessAt, days: 30, of: now))
            }
            .sorted { ($0.lastSignIn, $1.userSub) > ($1.lastSignIn, $0.userSub) }
        self.daily = Self.series(daily.filter { $0.spaceID == spaceID }, since: since, now: now)
    }

    /// Zero-filled daily series; capped at 3 660 days so a silly `--since` cannot explode.
    static func series(_ rows: [DailyRow], since: Date, now: Date) -> [DailyPoint] {
        var byDay: [String: DailyRow] = [:]
        for r in rows { byDay[RFC3339.day(r.day)] = r }
        var out: [DailyPoint] = []
        var d = RFC3339.startOfDay(min(since, now))
        let last = RFC3339.startOfDay(now)
        while d <= last, out.count < 3_660 {
            let key = RFC3339.day(d)
            let r = byDay[key]
            out.append(DailyPoint(day: key, successes: r?.successes ?? 0, failures: r?.failures ?? 0, distinctUsers: r?.distinctUsers ?? 0))
            d = d.addingTimeInterval(day)
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case active1d = "active_1d"
        case active7d = "active_7d"
        case active30d = "active_30d"
        case newUsers = "new_users"
        case returningUsers = "returning_users"
        case lastSignIn = "last_sign_in"
        case daily, users
    }
}
