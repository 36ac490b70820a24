import Foundation
import Testing

@testable import AuditOIDC

/// The whole flow against an in-memory provider (the Python provider covers real HTTP).
@Suite struct RelyingPartyTests {
    static let issuer = "https://idp.test"
    let http = FakeHTTPClient()
    let clock = TestClock()
    let idToken = Locked<String>("")
    let userinfo = Locked<[String: Any]>([:])
    let rp: RelyingParty

    init() {
        http.onJSON("GET", Self.issuer + "/.well-known/openid-configuration") { DiscoveryTests.document() }
        http.onJSON("GET", Self.issuer + "/oauth/jwks") { ["keys": [TestKey.primary.jwk()]] }
        let idToken = idToken
        let userinfo = userinfo
        http.onJSON("POST", Self.issuer + "/oauth/token") {
            [
                "access_token": "hf_oauth_at", "id_token": idToken.get(), "token_type": "bearer", "scope": "openid profile",
                "expires_in": 3600,
            ]
        }
        http.onJSON("GET", Self.issuer + "/oauth/userinfo") { userinfo.get() }
        userinfo.set([
            "sub": "user-1", "preferred_username": "ada", "name": "Ada",
            "orgs": [["sub": "o1", "preferred_username": "acme", "roleInOrg": "write"], ["sub": "o2", "name": "No handle"]],
        ])
        rp = RelyingParty(
            configuration: RelyingPartyConfiguration(
                issuer: Self.issuer, clientID: "client-1", clientSecret: "secret-1", redirectURI: "https://a.hf.space/login/callback",
                scopes: ["openid", "profile", "read-memberships"]),
            http: http, clock: clock.function)
    }

    func issue(nonce: String, sub: String = "user-1") {
        let now = Int(clock.date.timeIntervalSince1970)
        idToken.set(
            JWT.rs256(
                header: ["alg": "RS256", "kid": "key-1"],
                claims: [
                    "iss": Self.issuer, "aud": "client-1", "sub": sub, "exp": now + 600, "iat": now, "nonce": nonce,
                    "preferred_username": "ada",
                ],
                key: .primary))
    }

    @Test func signsInAndSendsTheMatchingVerifier() throws {
        let secret = try AuthorizationRequest.newBrowserSecret()
        let start = try rp.startLogin(browserSecret: secret)
        issue(nonce: start.nonce)
        let user = try rp.completeLogin(code: "c0de", state: start.state, browserSecret: secret)
        #expect(
            user
                == SignedInUser(
                    sub: "user-1", username: "ada", name: "Ada", orgs: [.init(name: "acme", role: "write")],
                    scopesRequested: ["openid", "profile", "read-memberships"], scopesGranted: ["openid", "profile"],
                    accessTokenExpiresIn: 3600))
        let tokenRequest = try #require(http.requests.first { $0.method == "POST" })
        let body = String(decoding: tokenRequest.body ?? [], as: UTF8.self)
        #expect(body.contains("code_verifier=\(start.codeVerifier)"))
        #expect(AuthorizationRequest.codeChallenge(verifier: start.codeVerifier) == start.codeChallenge)
        #expect(AdminPolicy(admins: [], adminOrgs: ["acme"]).decide(user).visibleOrgs == ["acme"])
    }

    @Test func anotherBrowsersSecretFailsTheNonce() throws {
        let start = try rp.startLogin(browserSecret: try AuthorizationRequest.newBrowserSecret())
        issue(nonce: start.nonce)
        #expect(throws: OIDCError.idToken(.nonceMismatch)) {
            try rp.completeLogin(code: "c", state: start.state, browserSecret: try AuthorizationRequest.newBrowserSecret())
        }
    }

    @Test func userinfoSubMustMatchTheIDToken() throws {
        let secret = try AuthorizationRequest.newBrowserSecret()
        let start = try rp.startLogin(browserSecret: secret)
        issue(nonce: start.nonce, sub: "user-2")
        #expect(throws: OIDCError(.userinfoSubMismatch)) { try rp.completeLogin(code: "c", state: start.state, browserSecret: secret) }
    }

    @Test func unreachableProviderFailsStartLogin() throws {
        let rp = RelyingParty(
            configuration: .init(issuer: "https://down.test", clientID: "c", clientSecret: "s", redirectURI: "r", scopes: ["openid"]),
            http: FakeHTTPClient())
        #expect(throws: OIDCError(.providerUnreachable)) { try rp.startLogin(browserSecret: Array(repeating: 1, count: 32)) }
    }

    @Test func secretsStayOutOfDescriptions() {
        #expect(!rp.configuration.description.contains("secret-1"))
        #expect(OIDCError.idp(error: "access_denied\r\nX").description == "idp_error (access_deniedX)")
        #expect(
            OIDCError.FailureReason.allCases.map(\.rawValue) == [
                "idp_error", "token_exchange_failed", "id_token_invalid", "userinfo_failed", "userinfo_sub_mismatch",
                "provider_unreachable", "not_authorized",
            ])
    }
}
