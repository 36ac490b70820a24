import AuditCore
import AuditPostgres
import Foundation
import Testing

@testable import SpaceAudit

/// The dashboard API against a real PostgreSQL, through the router as `serve` wires it.
@Suite("Dashboard API")
struct ApiRoutesTests {
    @Test("every route answers 401 without a session, before looking at anything else")
    func needsSession() throws {
        try ApiHarness.with { api in
            try api.register("acme/app")
            for target in [
                "/api/v1/spaces", "/api/v1/spaces/acme/app", "/api/v1/spaces/acme/app/events?limit=0",
                "/api/v1/spaces/nobody/nothing/events",
            ] {
                let answer = try api.get(target, cookie: nil)
                #expect(answer.status == 401, "\(target)")
                #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "not_signed_in")
                #expect(try api.get(target, cookie: "not-a-session").status == 401)
            }
        }
    }

    @Test("active users use the report's window edges; daily points sum to the totals")
    func activityNumbers() throws {
        try ApiHarness.with { api in
            let now = api.now
            let day: TimeInterval = 86_400
            try api.register("acme/app")
            try api.append(
                "acme/app",
                [
                    signIn("old", at: now.addingTimeInterval(-40 * day)),  // outside every window
                    signIn("week", at: now.addingTimeInterval(-7 * day)),  // exactly 7 days: 30d only
                    signIn("day", at: now.addingTimeInterval(-1 * day)),  // exactly 1 day: 7d and 30d
                    signIn("today", at: now.addingTimeInterval(-60), scopes: ["openid", "write-repos"]),
                    signIn("today", at: now.addingTimeInterval(-30)),  // same user twice
                    failure(at: now.addingTimeInterval(-2 * day)),
                    signIn("future", at: now.addingTimeInterval(3600)),  // after now: not counted
                ])
            let cookie = try api.session()
            let answer = try api.get("/api/v1/spaces/acme/app?days=30", cookie: cookie)
            #expect(answer.status == 200)
            let activity = try #require((answer.json["space"] as? [String: Any])?["activity"] as? [String: Any])
            #expect(activity["active_1d"] as? Int == 1)
            #expect(activity["active_7d"] as? Int == 2)
            #expect(activity["active_30d"] as? Int == 3)
            #expect(activity["successes"] as? Int == 4)
            #expect(activity["failures"] as? Int == 1)
            let daily = try #require(activity["daily"] as? [[String: Any]])
            #expect(daily.count == 30)
            #expect(daily.last?["day"] as? String == "2026-08-22")
            #expect(daily.reduce(0) { $0 + ($1["successes"] as? Int ?? 0) } == 4)
            let riskiest = try #require(activity["riskiest_scope"] as? [String: Any])
            #expect(riskiest["scope"] as? String == "write-repos")
            #expect(riskiest["risk"] as? String == "critical")
        }
    }

    @Test("a Space the viewer may not see is the same 404 as one that does not exist")
    func visibility() throws {
        try ApiHarness.with { api in
            try api.register("acme/app")
            try api.register("other/app")
            let orgAdmin = try api.session(admin: false, orgs: ["ACME"])
            let list = try api.get("/api/v1/spaces", cookie: orgAdmin)
            #expect((list.json["spaces"] as? [[String: Any]])?.compactMap { $0["space"] as? String } == ["acme/app"])
            let hidden = try api.get("/api/v1/spaces/other/app", cookie: orgAdmin)
            let missing = try api.get("/api/v1/spaces/nobody/app", cookie: orgAdmin)
            let invalid = try api.get("/api/v1/spaces/..%2F/app/events", cookie: orgAdmin)
            #expect(hidden.status == 404 && missing.status == 404 && invalid.status == 404)
            #expect(NSDictionary(dictionary: hidden.json) == NSDictionary(dictionary: missing.json))
            #expect(try api.get("/api/v1/spaces/other/app/events", cookie: orgAdmin).status == 404)
            #expect(try api.get("/api/v1/spaces/other/app", cookie: try api.session()).status == 200)
        }
    }

    @Test("bad parameters are a 400 naming the parameter")
    func badParameters() throws {
        try ApiHarness.with { api in
            try api.register("acme/app")
            let cookie = try api.session()
            let cases = [
                "limit=0": "'limit'", "limit=501": "'limit'", "limit=ten": "'limit'", "cursor=12": "'cursor'",
                "cursor=1.0": "'cursor'", "event=login": "'event'", "outcome=maybe": "'outcome'",
                "since=yesterday": "'since'", "since=2026-08-02&until=2026-08-01": "'since'", "until=2026-13-01": "'until'",
            ]
            for (query, parameter) in cases {
                let answer = try api.get("/api/v1/spaces/acme/app/events?\(query)", cookie: cookie)
                #expect(answer.status == 400, "\(query)")
                let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.hasPrefix(parameter), "\(query): \(message)")
            }
            #expect(try api.get("/api/v1/spaces?days=0", cookie: cookie).status == 400)
            #expect(try api.get("/api/v1/spaces/acme/app?days=367", cookie: cookie).status == 400)
        }
    }
}
