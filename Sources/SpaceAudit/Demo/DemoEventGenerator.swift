import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// Makes a believable sign-in history for the demo Spaces: attempts every day of the last
/// `days` days, fewer at weekends, a slow upward trend, users who join over time, failures
/// with each Space's typical reasons, and logouts or expired sessions after some sign-ins.
/// Seeded, so every demo shows the same story (relative to `now`).
struct DemoEventGenerator {
    let now: Date
    let days: Int

    static let userAgents = [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    ]

    /// The events of one Space, oldest first.
    func events(for space: DemoSpace) -> [NewEvent] {
        var random = SeededRandom(
            seed: Array(space.id.description.utf8).reduce(1_469_598_103_934_665_603) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })
        var events: [NewEvent] = []
        let firstDay = RFC3339.startOfDay(now).addingTimeInterval(-Double(days - 1) * 86_400)
        // Each user starts using the Space on some day; the first few were there from the start.
        let joinDay = space.users.enumerated().map { index, _ in index < 2 ? 0 : random.int(below: days) }
        for day in 0..<days {
            let dayStart = firstDay.addingTimeInterval(Double(day) * 86_400)
            let weekday = Calendar(identifier: .gregorian).component(.weekday, from: dayStart)
            let weekend = weekday == 1 || weekday == 7
            let trend = 0.6 + 0.8 * Double(day) / Double(days)
            let mean = Double(space.attemptsPerDay) * trend * (weekend ? 0.5 : 1)
            let attempts = max(0, Int((mean + random.unit() * 3 - 1.5).rounded()))
            let present = space.users.indices.filter { joinDay[$0] <= day }
            guard !present.isEmpty else { continue }
            for _ in 0..<attempts {
                let start = dayStart.addingTimeInterval(random.unit() * 86_400)
                guard start < now.addingTimeInterval(-120) else { continue }
                // Earlier users sign in more often: pick the smaller of two draws.
                let user = space.users[present[min(random.int(below: present.count), random.int(below: present.count))]]
                events += attempt(space, user: user, at: start, random: &random)
            }
        }
        return events.sorted { $0.occurredAt < $1.occurredAt }
    }

    private func attempt(_ space: DemoSpace, user: String, at start: Date, random: inout SeededRandom) -> [NewEvent] {
        let redirect = space.redirectURIs[random.unit() < 0.8 ? 0 : random.int(below: space.redirectURIs.count)]
        var base = NewEvent(
            occurredAt: start, event: .loginStarted, scopesRequested: space.scopesRequested, redirectURI: redirect,
            clientID: "demo-client-\(space.id.name)", clientIP: "203.0.113.\(1 + abs(user.hashValueStable) % 250)",
            userAgent: Self.userAgents[abs(user.hashValueStable) % Self.userAgents.count], source: space.source)
        var events = [base]
        base.occurredAt = start.addingTimeInterval(2 + random.unit() * 20)
        // A provider that refuses the redirect URI does so for the bad URIs, not at random.
        let refusedURI = redirect != space.redirectURIs[0] && space.failureReasons.contains("idp_error:invalid_redirect_uri")
        if refusedURI || random.unit() < space.failureRate {
            base.event = .loginFailed
            base.outcome = .failure
            base.reason =
                refusedURI ? "idp_error:invalid_redirect_uri" : space.failureReasons[random.int(below: space.failureReasons.count)]
            if base.reason?.hasPrefix("id_token") == true || base.reason?.hasPrefix("userinfo") == true {
                base.userSub = Self.sub(of: user)
            }
            return events + [base]
        }
        base.event = .loginSucceeded
        base.outcome = .success
        base.userSub = Self.sub(of: user)
        base.username = user
        base.orgs = space.id.owner == user ? [] : [space.id.owner]
        base.scopesGranted = space.scopesRequested
        events.append(base)
        let roll = random.unit()
        if roll < 0.3 {
            var logout = base
            logout.event = .logout
            logout.outcome = nil
            logout.scopesGranted = []
            logout.occurredAt = base.occurredAt.addingTimeInterval(600 + random.unit() * 7_200)
            if logout.occurredAt < now { events.append(logout) }
        } else if roll < 0.45 {
            var expired = base
            expired.event = .sessionExpired
            expired.outcome = nil
            expired.scopesGranted = []
            expired.occurredAt = base.occurredAt.addingTimeInterval(8 * 3_600)
            if expired.occurredAt < now { events.append(expired) }
        }
        return events
    }

    /// A stable, Hub-like opaque user id.
    static func sub(of user: String) -> String {
        "6" + Crypto.sha256(user).prefix(12).map { String(format: "%02x", $0) }.joined().prefix(23)
    }
}

/// SplitMix64: tiny, seeded, good enough for sample data (never for secrets).
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension String {
    /// Swift's `hashValue` changes per process; sample data must not.
    fileprivate var hashValueStable: Int { Int(utf8.reduce(5381) { ($0 &* 33 &+ UInt32($1)) & 0x7fff_ffff }) }
}
