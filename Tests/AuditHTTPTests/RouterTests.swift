import Foundation
import Testing

@testable import AuditHTTP

/// Routes as plain values: no socket.
@Suite struct RouterTests {
    static func router() -> Router {
        var router = Router()
        router.get("/api/v1/spaces/:owner/:name") { request in
            .text("\(request.pathParameters["owner"]!)|\(request.pathParameters["name"]!)")
        }
        router.get("/api/v1/spaces/mine/:name") { _ in .text("literal wins") }
        router.post("/api/v1/spaces/:owner/:name") { _ in .text("posted") }
        router.get("/static/*") { request in .text("file:" + request.pathParameters["*"]!) }
        router.post("/small", maxBodyBytes: 4) { _ in .text("ok") }
        return router
    }

    func call(_ method: String, _ target: String, body: [UInt8] = []) throws -> Response {
        try Self.router().handle(Request(method: method, target: target, body: body))
    }

    func text(_ response: Response) -> String {
        guard case .bytes(let bytes) = response.body else { return "<stream>" }
        return String(decoding: bytes, as: UTF8.self)
    }

    func httpError(_ body: () throws -> Response) -> HTTPError? {
        do {
            _ = try body()
            return nil
        } catch { return error as? HTTPError }
    }

    @Test func pathParametersAreDecodedPerSegment() throws {
        #expect(text(try call("GET", "/api/v1/spaces/alice/my%20app")) == "alice|my app")
        // An encoded slash stays inside its segment instead of creating a new one.
        #expect(text(try call("GET", "/api/v1/spaces/a%2Fb/c")) == "a/b|c")
    }

    @Test func literalSegmentBeatsParameter() throws {
        #expect(text(try call("GET", "/api/v1/spaces/mine/x")) == "literal wins")
        #expect(text(try call("POST", "/api/v1/spaces/mine/x")) == "posted")
    }

    @Test func wildcardCapturesTheRest() throws {
        #expect(text(try call("GET", "/static/css/app.css")) == "file:css/app.css")
    }

    @Test func unknownPathIs404() {
        #expect(httpError { try call("GET", "/nope") }?.status == 404)
        #expect(httpError { try call("GET", "/api/v1/spaces/only-owner") }?.status == 404)
        #expect(httpError { try call("GET", "/api/v1/spaces//x") }?.status == 404)  // empty param
    }

    @Test func wrongMethodIs405WithAllow() {
        let error = httpError { try call("DELETE", "/api/v1/spaces/a/b") }
        #expect(error?.status == 405)
        #expect(error?.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test func headFallsBackToGet() throws {
        #expect(text(try call("HEAD", "/api/v1/spaces/a/b")) == "a|b")
    }

    @Test func perRouteBodyLimit() throws {
        #expect(text(try call("POST", "/small", body: [1, 2, 3, 4])) == "ok")
        #expect(httpError { try call("POST", "/small", body: [1, 2, 3, 4, 5]) }?.status == 413)
    }

    @Test func badPercentEncodingIs400() {
        #expect(httpError { try call("GET", "/static/%zz") }?.status == 400)
    }
}

@Suite struct RequestTests {
    @Test func queryKeepsEveryValue() throws {
        let request = try Request(method: "GET", target: "/s?tag=a&tag=b+c&x=%26&flag")
        #expect(request.queryParameters["tag"] == ["a", "b c"])
        #expect(request.query("x") == "&")
        #expect(request.query("flag") == "")
        #expect(request.rawQuery == "tag=a&tag=b+c&x=%26&flag")
        #expect(request.path == "/s")
    }

    @Test func malformedTargetsAre400() {
        for target in ["/a%", "/a%4", "/a%GG", "/a%00b", "/x?q=%ff", "no-slash", "*"] {
            #expect(throws: HTTPError.self, "\(target)") { try Request(method: "GET", target: target) }
        }
    }

    @Test func headersAreCaseInsensitiveAndCookiesParsed() throws {
        let headers = HTTPHeaders([("content-TYPE", "text/plain"), ("Cookie", "a=1; __Host-s=\"tok\"; a=2; junk")])
        let request = try Request(method: "GET", target: "/", headers: headers)
        #expect(request.header("Content-Type") == "text/plain")
        #expect(request.cookie("a") == "1")
        #expect(request.cookie("__Host-s") == "tok")
        #expect(request.cookies.count == 2)
    }
}

@Suite struct CookieTests {
    @Test func hostCookieHasTheRequiredAttributes() {
        let cookie = Cookie.host(name: "session", value: "abc_-123", maxAge: 3600, sameSite: .strict)
        #expect(cookie.headerValue == "__Host-session=abc_-123; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict")
    }

    @Test func expiredCookieClearsTheValue() {
        let cookie = Cookie(name: "s", value: "x", path: "/app", secure: false, httpOnly: false, sameSite: nil).expired()
        #expect(cookie.headerValue == "s=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func responseCarriesSetCookie() {
        let response = Response.redirect(to: "/", status: 303).settingCookie(Cookie(name: "a", value: "1"))
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/")
        #expect(response.headers["set-cookie"] == "a=1; Path=/; Secure; HttpOnly; SameSite=Lax")
    }

    @Test func jsonIsSortedWithISODates() throws {
        struct Payload: Encodable {
            var zeta = 1
            var alpha = Date(timeIntervalSince1970: 0)
        }
        let response = try Response.json(Payload(), status: 201)
        guard case .bytes(let bytes) = response.body else {
            Issue.record("not bytes")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"alpha":"1970-01-01T00:00:00Z","zeta":1}"#)
        #expect(response.status == 201)
    }
}
