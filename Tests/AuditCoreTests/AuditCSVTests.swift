import Foundation
import Testing

@testable import AuditCore

@Suite("Audit CSV and NDJSON")
struct AuditCSVTests {
    static func event(username: String? = "ada", userAgent: String? = "Mozilla/5.0") -> LoginEvent {
        LoginEvent(
            eventID: "0b8c0d1e-0000-4000-8000-000000000001", spaceID: Fixture.space, seq: 7,
            occurredAt: RFC3339.parse("2026-08-22T10:11:12.345678Z")!, event: .loginSucceeded, outcome: .success,
            userSub: "64b7c2e9a1f0d3b5c8e7a912", username: username, orgs: ["my-company", "club"],
            scopesRequested: ["openid", "profile"], scopesGranted: ["openid", "profile"],
            redirectURI: "https://acme-admin-console.hf.space/login/callback", clientID: "cid", clientIP: "203.0.113.9",
            userAgent: userAgent, source: .service, idempotencyKey: "k1", hash: "ab01")
    }

    static func text(_ e: LoginEvent) -> String { String(decoding: AuditCSVEncoder().encode(e), as: UTF8.self) }

    @Test func header() {
        #expect(
            String(decoding: AuditCSVEncoder().header, as: UTF8.self)
                == "event_id,occurred_at,space,event,outcome,reason,user_sub,username,orgs,scopes_requested,scopes_granted,redirect_uri,client_id,client_ip,user_agent,source,hash\r\n"
        )
    }

    @Test func plainRow() {
        #expect(
            Self.text(Self.event())
                == "0b8c0d1e-0000-4000-8000-000000000001,2026-08-22T10:11:12.345678Z,acme/admin-console,login_succeeded,success,,64b7c2e9a1f0d3b5c8e7a912,ada,my-company club,openid profile,openid profile,https://acme-admin-console.hf.space/login/callback,cid,203.0.113.9,Mozilla/5.0,service,ab01\r\n"
        )
    }

    @Test(arguments: [
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line1\nline2", "\"line1\nline2\""),
        ("line1\r\nline2", "\"line1\r\nline2\""),
        ("🦊 Ada 日本", "🦊 Ada 日本"),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\"'\rcmd\""),
        ("a=b", "a=b"),
        ("", ""),
    ])
    func fieldEncoding(raw: String, encoded: String) {
        #expect(CSV.field(raw) == encoded)
        let row = Self.text(Self.event(username: raw))
        #expect(row.contains(",64b7c2e9a1f0d3b5c8e7a912,\(encoded),my-company club,"))
        #expect(row.hasSuffix("\r\n"))
    }

    @Test func ndjsonSameFieldsInOrder() throws {
        let bytes = NDJSONEncoder().encode(Self.event(username: "a\"b\n🦊", userAgent: nil))
        let line = String(decoding: bytes, as: UTF8.self)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        #expect(line.hasPrefix("{\"event_id\":\"0b8c0d1e-0000-4000-8000-000000000001\",\"occurred_at\":\"2026-08-22T10:11:12.345678Z\","))
        #expect(line.contains("\"username\":\"a\\\"b\\n🦊\",\"orgs\":[\"my-company\",\"club\"]"))
        #expect(line.contains("\"user_agent\":null,\"source\":\"service\",\"hash\":\"ab01\"}"))
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(Set(object.keys) == Set(AuditCSVEncoder.columns))
        #expect(object["username"] as? String == "a\"b\n🦊")
    }

    @Test func controlCharactersEscapedInJSON() {
        #expect(JSONText.string("\u{01}\u{2028}") == "\"\\u0001\\u2028\"")
    }
}
