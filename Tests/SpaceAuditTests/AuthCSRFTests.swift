import AuditHTTP
import Testing

@testable import SpaceAudit

@Suite("Auth: CSRF guard for POST /logout")
struct AuthCSRFTests {
    let guard_ = CSRFGuard(publicURL: "https://acme-audit.hf.space", spaceHosts: ["acme-audit.hf.space", "audit.acme.com"])
    let token = CSRFGuard.token(sessionID: "session-one")
    var expected: [UInt8] { CSRFGuard.hash(token) }

    func request(_ headers: [(String, String)], body: String = "") throws -> Request {
        try Request(method: "POST", target: "/logout", headers: HTTPHeaders(headers), body: Array(body.utf8))
    }

    func refused(_ request: Request) -> Bool {
        do throws(HTTPError) {
            try guard_.check(request, expectedHash: expected)
            return false
        } catch {
            return error.status == 403 && error.code == "csrf_failed"
        }
    }

    @Test("the token is derived per session and 43 characters long")
    func derivation() {
        #expect(token.count == 43)
        #expect(CSRFGuard.token(sessionID: "session-one") == token)
        #expect(CSRFGuard.token(sessionID: "session-two") != token)
    }

    @Test("header or form field with the right token passes; same-origin and custom-domain origins pass")
    func accepted() throws {
        #expect(!refused(try request([("X-CSRF-Token", token)])))
        #expect(
            !refused(try request([("X-CSRF-Token", token), ("Origin", "https://acme-audit.hf.space"), ("Sec-Fetch-Site", "same-origin")])))
        #expect(!refused(try request([("X-CSRF-Token", token), ("Origin", "https://audit.acme.com")])))
        let form = try request([("Content-Type", "application/x-www-form-urlencoded")], body: "csrf_token=\(token)")
        #expect(!refused(form))
    }

    @Test("missing or wrong token, foreign origin, cross-site fetch are refused")
    func refusedCases() throws {
        #expect(refused(try request([])))
        #expect(refused(try request([("X-CSRF-Token", "")])))
        #expect(refused(try request([("X-CSRF-Token", CSRFGuard.token(sessionID: "session-two"))])))
        #expect(refused(try request([("X-CSRF-Token", token), ("Origin", "https://evil.example")])))
        #expect(refused(try request([("X-CSRF-Token", token), ("Origin", "null")])))
        #expect(refused(try request([("X-CSRF-Token", token), ("Origin", "http://acme-audit.hf.space")])))
        #expect(refused(try request([("X-CSRF-Token", token), ("Sec-Fetch-Site", "cross-site")])))
        #expect(refused(try request([("X-CSRF-Token", token), ("Sec-Fetch-Site", "same-site")])))
        let wrongForm = try request([("Content-Type", "text/plain")], body: "csrf_token=\(token)")
        #expect(refused(wrongForm))
    }
}
