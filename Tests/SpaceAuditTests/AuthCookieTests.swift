import AuditHTTP
import Testing

@testable import SpaceAudit

@Suite("Auth: cookie attributes")
struct AuthCookieTests {
    @Test("the session cookie is __Host- and Secure on https, HttpOnly and SameSite=Lax always")
    func sessionCookie() {
        let https = SessionCookie.issuing("abc", secure: true, maxAge: 28_800).headerValue
        #expect(https == "__Host-spaceaudit_session=abc; Path=/; Max-Age=28800; Secure; HttpOnly; SameSite=Lax")
        let http = SessionCookie.issuing("abc", secure: false, maxAge: 3600).headerValue
        #expect(http == "spaceaudit_session=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax")
        let cleared = SessionCookie.clearing(secure: true).headerValue
        #expect(cleared.hasPrefix("__Host-spaceaudit_session=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure"))
    }

    @Test("the browser-binding cookie lives 10 minutes and is read back only when it holds 32 bytes")
    func loginCookie() throws {
        let secret = [UInt8](repeating: 7, count: 32)
        let cookie = LoginCookie.issuing(secret, secure: true).headerValue
        #expect(cookie.hasPrefix("__Host-spaceaudit_login="))
        #expect(cookie.hasSuffix("; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax"))
        let value = String(cookie.dropFirst("__Host-spaceaudit_login=".count).prefix { $0 != ";" })
        let good = try Request(
            method: "GET", target: "/login/callback", headers: HTTPHeaders([("Cookie", "__Host-spaceaudit_login=\(value)")]))
        #expect(LoginCookie.secret(in: good, secure: true) == secret)
        #expect(LoginCookie.secret(in: good, secure: false) == nil)  // the plain name is another cookie
        let short = try Request(method: "GET", target: "/", headers: HTTPHeaders([("Cookie", "__Host-spaceaudit_login=AAAA")]))
        #expect(LoginCookie.secret(in: short, secure: true) == nil)
    }
}
