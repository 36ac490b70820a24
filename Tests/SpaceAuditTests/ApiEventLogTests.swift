import AuditCore
import AuditPostgres
import Foundation
import Testing

@testable import SpaceAudit

/// Keyset paging and filters of GET /api/v1/spaces/{owner}/{name}/events.
@Suite("Dashboard API: event log")
struct ApiEventLogTests {
    @Test("pages walk every row once, newest first, also across ties of occurred_at")
    func pagingCoversEveryRowOnce() throws {
        try ApiHarness.with { api in
            let base = api.now.addingTimeInterval(-3_600)
            // 23 events; pairs share an instant so the seq tie-breaker matters at page edges.
            let events = (0..<23).map { index in
                signIn("user\(index)", at: base.addingTimeInterval(Double(index / 2) * 60))
            }
            try api.append("acme/app", events)
            let cookie = try api.session()
            var seen: [(String, Int)] = []
            var cursor: String?
            var pages = 0
            repeat {
                let target = "/api/v1/spaces/acme/app/events?limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")
                let answer = try api.get(target, cookie: cookie)
                #expect(answer.status == 200)
                let page = try #require(answer.json["events"] as? [[String: Any]])
                seen += page.map { ($0["occurred_at"] as! String, $0["seq"] as! Int) }
                cursor = answer.json["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 5)
            #expect(seen.count == 23)
            #expect(Set(seen.map(\.1)) == Set(1...23))
            #expect(seen.map(\.1) == Array((1...23).reversed()), "newest first; ties by seq descending")
        }
    }

    @Test("filters: event, outcome, user (name case-insensitive or sub), since inclusive, until exclusive")
    func filters() throws {
        try ApiHarness.with { api in
            let t0 = RFC3339.parse("2026-08-20T00:00:00Z")!
            try api.append(
                "acme/app",
                [
                    signIn("Alice", at: t0),
                    failure(at: t0.addingTimeInterval(10)),
                    signIn("bob", at: t0.addingTimeInterval(86_400)),
                    signIn("alice", at: RFC3339.parse("2026-08-22T00:00:00Z")!),
                ])
            let cookie = try api.session()
            func count(_ query: String) throws -> Int {
                let answer = try api.get("/api/v1/spaces/acme/app/events?\(query)", cookie: cookie)
                #expect(answer.status == 200, "\(query)")
                return (answer.json["events"] as? [[String: Any]])?.count ?? -1
            }
            #expect(try count("event=login_failed") == 1)
            #expect(try count("outcome=success") == 3)
            #expect(try count("user=ALICE") == 2)
            #expect(try count("user=sub-bob") == 1)
            #expect(try count("since=2026-08-21") == 2)
            #expect(try count("until=2026-08-22T00:00:00Z") == 3)
            #expect(try count("since=2026-08-20&until=2026-08-21&event=login_succeeded") == 1)
            #expect(try count("user=%3Cscript%3E") == 0)
        }
    }

    @Test("cursor tokens round-trip and reject anything else")
    func cursorTokens() {
        let cursor = EventCursor(occurredMicros: 1_787_400_000_123_456, seq: 42)
        #expect(EventCursor(token: cursor.token) == cursor)
        #expect(EventCursor(token: "-5.1") == EventCursor(occurredMicros: -5, seq: 1))
        for bad in ["", ".", "1.", ".1", "1.0", "1.-1", "a.1", "1.1.1", "+1.1", "1 .1", "--1.1", "1-.1", "99999999999999999999.1"] {
            #expect(EventCursor(token: bad) == nil, "\(bad)")
        }
    }
}
