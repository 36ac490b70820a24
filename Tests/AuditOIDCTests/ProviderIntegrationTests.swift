import AuditOIDC
import Foundation
import Testing

/// The relying party over URLSessionHTTPClient against the Python misbehaving provider: every mode
/// must end in its audit reason. Skipped where python3 + cryptography are not installed.
@Suite(.serialized, .enabled(if: ProviderProcess.available, "needs python3 with the cryptography package"))
struct ProviderIntegrationTests {
    static let redirectURI = "http://127.0.0.1:9/login/callback"
    let provider: ProviderProcess
    let http = URLSessionHTTPClient()

    init() throws {
        provider = try ProviderProcess(arguments: ["--orgs", #"[{"sub":"o1","preferred_username":"acme","roleInOrg":"write"}]"#])
    }

    func relyingParty(timeout: TimeInterval = 3) -> RelyingParty {
        RelyingParty(
            configuration: RelyingPartyConfiguration(
                issuer: provider.base, clientID: "spaceaudit-test-client", clientSecret: "spaceaudit-test-secret",
                redirectURI: Self.redirectURI, scopes: ["openid", "profile", "read-memberships"]),
            http: http, timeout: timeout)
    }

    func setMode(_ mode: String) throws {
        let response = try http.send(OutboundRequest(method: "POST", url: URL(string: provider.base + "/_mode")!, body: Array(mode.utf8)))
        #expect(response.status == 200, "mode \(mode)")
    }

    /// Browser stand-in: follow /authorize by hand (the client must NOT follow the 302), then call back.
    func signIn(_ rp: RelyingParty) throws -> Result<SignedInUser, OIDCError> {
        let secret = try AuthorizationRequest.newBrowserSecret()
        let start: AuthorizationRequest
        do { start = try rp.startLogin(browserSecret: secret) } catch { return .failure(error) }
        let redirect = try http.send(OutboundRequest(url: start.url))
        #expect(redirect.status == 302)
        let location = try #require(redirect.headers["location"].flatMap { URLComponents(string: $0) })
        let query = Dictionary(uniqueKeysWithValues: (location.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["state"] == start.state)
        if let error = query["error"] { return .failure(.idp(error: error)) }
        do {
            return .success(try rp.completeLogin(code: query["code"] ?? "", state: start.state, browserSecret: secret))
        } catch { return .failure(error) }
    }

    @Test func everyModeEndsInItsReason() throws {
        let expected: [(String, OIDCError?)] = [
            ("ok", nil),
            ("bad_signature", OIDCError(.idTokenInvalid, subReason: "bad_signature")),
            ("alg_none", OIDCError(.idTokenInvalid, subReason: "alg_not_allowed")),
            ("hs256_client_secret", OIDCError(.idTokenInvalid, subReason: "alg_not_allowed")),
            ("header_jwk", OIDCError(.idTokenInvalid, subReason: "bad_signature")),
            ("header_jku", OIDCError(.idTokenInvalid, subReason: "bad_signature")),
            ("wrong_iss", OIDCError(.idTokenInvalid, subReason: "wrong_issuer")),
            ("wrong_aud", OIDCError(.idTokenInvalid, subReason: "wrong_audience")),
            ("multi_aud_no_azp", OIDCError(.idTokenInvalid, subReason: "wrong_audience")),
            ("expired", OIDCError(.idTokenInvalid, subReason: "expired")),
            ("iat_future", OIDCError(.idTokenInvalid, subReason: "issued_in_future")),
            ("nonce_altered", OIDCError(.idTokenInvalid, subReason: "nonce_mismatch")),
            ("nonce_missing", OIDCError(.idTokenInvalid, subReason: "nonce_mismatch")),
            ("unknown_kid", OIDCError(.idTokenInvalid, subReason: "unknown_kid")),
            ("userinfo_sub_mismatch", OIDCError(.userinfoSubMismatch)),
            ("access_denied", OIDCError(.idpError, subReason: "access_denied")),
            ("token_500", OIDCError(.tokenExchangeFailed, subReason: "server_error")),
            ("token_not_json", OIDCError(.tokenExchangeFailed)),
            ("token_stall", OIDCError(.tokenExchangeFailed)),  // our 3 s timeout, not the provider's 30 s
        ]
        let rp = relyingParty()
        for (mode, error) in expected {
            try setMode(mode)
            switch try signIn(rp) {
            case .success(let user):
                #expect(error == nil, "mode \(mode) signed in")
                #expect(user.username == "ada-example" && user.orgs == [.init(name: "acme", role: "write")])
            case .failure(let got):
                #expect(got == error, "mode \(mode): \(got.debugDescription)")
            }
        }
    }

    @Test func rotatedKeysAreFetchedOnce() throws {
        try setMode("ok")
        let rp = relyingParty()
        #expect(throws: Never.self) { try signIn(rp).get() }
        try setMode("rotate_keys")
        #expect(throws: Never.self) { try signIn(rp).get() }
        #expect(rp.jwksFetchCount == 2)
    }

    @Test func discoveryWithAnotherIssuerIsRefused() throws {
        try setMode("discovery_wrong_issuer")
        #expect(try signIn(relyingParty()) == .failure(OIDCError(.providerUnreachable, subReason: "discovery_issuer_mismatch")))
    }

    @Test func responsesOverTheCapAreRefused() throws {
        let small = URLSessionHTTPClient(maxResponseBytes: 100)
        let url = URL(string: provider.base + "/.well-known/openid-configuration")!
        #expect(throws: HTTPClientError.self) { try small.send(OutboundRequest(url: url)) }
        #expect(try http.send(OutboundRequest(url: url)).status == 200)
    }
}
