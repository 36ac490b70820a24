import Foundation
import Testing

@testable import AuditOIDC

@Suite struct TokenClientTests {
    static let endpoint = URL(string: "https://idp.test/oauth/token")!
    static let secret = "s3cr&t:é"
    let http = FakeHTTPClient()
    var client: TokenClient { TokenClient(http: http, clientID: "client:1", clientSecret: Self.secret) }

    func exchange() throws(OIDCError) -> TokenResponse {
        try client.exchange(code: "the-code", redirectURI: "https://a.hf.space/cb", codeVerifier: "verif", tokenEndpoint: Self.endpoint)
    }

    func form(_ body: [UInt8]?) -> [String: String] {
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: body ?? [], as: UTF8.self)
        return Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func postsTheCodeWithClientSecretBasic() throws {
        http.onJSON("POST", Self.endpoint.absoluteString) {
            [
                "access_token": "hf_oauth_x", "id_token": "a.b.c", "token_type": "Bearer", "scope": "openid profile read-repos",
                "expires_in": 28800,
            ]
        }
        let response = try exchange()
        #expect(response.accessToken == "hf_oauth_x" && response.idToken == "a.b.c")
        #expect(response.scopesGranted == ["openid", "profile", "read-repos"] && response.expiresIn == 28800)
        #expect(!response.description.contains("hf_oauth_x") && !response.description.contains("a.b.c"))
        let request = try #require(http.requests.first)
        #expect(request.method == "POST" && !request.followRedirects && request.timeout == 10)
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(
            form(request.body) == [
                "grant_type": "authorization_code", "code": "the-code", "redirect_uri": "https://a.hf.space/cb", "code_verifier": "verif",
            ])
        let basic = try #require(request.headers["Authorization"]?.dropFirst("Basic ".count))
        let decoded = String(decoding: Data(base64Encoded: String(basic))!, as: UTF8.self)
        #expect(decoded == "client%3A1:s3cr%26t%3A%C3%A9")  // RFC 6749 §2.3.1: each part form-encoded
    }

    @Test func omittedScopeMeansAsRequested() throws {
        http.onJSON("POST", Self.endpoint.absoluteString) { ["access_token": "t", "id_token": "a.b.c"] }
        #expect(try exchange().scopesGranted == nil)
    }

    @Test func serverErrorKeepsTheProviderCodeOnly() {
        http.onJSON("POST", Self.endpoint.absoluteString, status: 500) {
            ["error": "server_error\n<b>", "error_description": "echo: \(Self.secret) the-code"]
        }
        do {
            _ = try exchange()
            Issue.record("expected failure")
        } catch {
            #expect(error == OIDCError(.tokenExchangeFailed, subReason: "server_errorb"))
            for text in [error.description, error.debugDescription] {
                #expect(!text.contains(Self.secret) && !text.contains("the-code") && !text.contains("echo"))
            }
        }
    }

    @Test func invalidGrant() {
        http.onJSON("POST", Self.endpoint.absoluteString, status: 400) { ["error": "invalid_grant"] }
        #expect(throws: OIDCError(.tokenExchangeFailed, subReason: "invalid_grant")) { try exchange() }
    }

    @Test func nonJSONIsRefused() {
        http.on("POST", Self.endpoint.absoluteString) { _ in OutboundResponse(status: 200, body: Array("<html>ok</html>".utf8)) }
        #expect(throws: OIDCError(.tokenExchangeFailed)) { try exchange() }
        http.on("POST", Self.endpoint.absoluteString) { _ in OutboundResponse(status: 500, body: Array("oops".utf8)) }
        #expect(throws: OIDCError(.tokenExchangeFailed)) { try exchange() }
    }

    @Test func timeoutIsAFailedExchange() {
        http.on("POST", Self.endpoint.absoluteString) { request in throw HTTPClientError(.timeout, "exceeded \(request.timeout)s") }
        #expect(throws: OIDCError(.tokenExchangeFailed)) { try exchange() }
    }

    @Test(arguments: [
        ["id_token": "a.b.c"], ["access_token": "t"], ["access_token": "t", "id_token": ""],
        ["access_token": "t", "id_token": "a.b.c", "token_type": "mac"], ["error": "slow_down", "access_token": "t", "id_token": "a.b.c"],
    ])
    func incompleteResponsesAreRefused(_ body: [String: String]) {
        http.onJSON("POST", Self.endpoint.absoluteString) { body }
        do {
            _ = try exchange()
            Issue.record("accepted an incomplete token response")
        } catch {
            #expect(error.reason == .tokenExchangeFailed)
        }
    }
}

@Suite struct UserInfoClientTests {
    static let endpoint = URL(string: "https://idp.test/oauth/userinfo")!
    let http = FakeHTTPClient()

    @Test func parsesOrgsLeniently() throws {
        http.onJSON("GET", Self.endpoint.absoluteString) {
            [
                "sub": "u1", "preferred_username": "ada", "name": "Ada", "isPro": true,
                "orgs": [
                    ["sub": "o1", "name": "Org One", "preferred_username": "org-one", "roleInOrg": "admin", "plan": "team"],
                    ["sub": "o2", "preferred_username": "org-two"], ["name": 3], "junk",
                ],
            ]
        }
        let info = try UserInfoClient(http: http).fetch(accessToken: "hf_oauth_tok", endpoint: Self.endpoint)
        #expect(info.sub == "u1" && info.preferredUsername == "ada" && info.name == "Ada")
        #expect(info.orgs.count == 3)
        #expect(info.orgs[0] == .init(sub: "o1", name: "Org One", preferredUsername: "org-one", roleInOrg: "admin"))
        #expect(info.orgs[1].roleInOrg == nil && info.orgs[2].preferredUsername == nil)
        #expect(http.requests.first?.headers["Authorization"] == "Bearer hf_oauth_tok")
        #expect(http.requests.first?.followRedirects == false)
    }

    @Test func failures() {
        let client = UserInfoClient(http: http)
        http.onJSON("GET", Self.endpoint.absoluteString, status: 401) { ["error": "invalid_token"] }
        #expect(throws: OIDCError(.userinfoFailed)) { try client.fetch(accessToken: "t", endpoint: Self.endpoint) }
        http.on("GET", Self.endpoint.absoluteString) { _ in OutboundResponse(status: 200, body: Array("eyJ.x.y".utf8)) }
        #expect(throws: OIDCError(.userinfoFailed)) { try client.fetch(accessToken: "t", endpoint: Self.endpoint) }
        http.onJSON("GET", Self.endpoint.absoluteString) { ["preferred_username": "ada"] }
        #expect(throws: OIDCError(.userinfoFailed)) { try client.fetch(accessToken: "t", endpoint: Self.endpoint) }
    }
}
