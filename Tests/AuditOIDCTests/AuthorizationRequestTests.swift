import Foundation
import Testing

@testable import AuditOIDC

@Suite struct AuthorizationRequestTests {
    static let metadata = ProviderMetadata(
        issuer: "https://idp.test", authorizationEndpoint: URL(string: "https://idp.test/oauth/authorize")!,
        tokenEndpoint: URL(string: "https://idp.test/oauth/token")!,
        userinfoEndpoint: URL(string: "https://idp.test/oauth/userinfo")!, jwksURI: URL(string: "https://idp.test/jwks")!)

    @Test func pkceMatchesRFC7636AppendixB() {
        #expect(
            AuthorizationRequest.codeChallenge(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func derivedValuesAreDeterministicPerSecretAndState() throws {
        let secret = try AuthorizationRequest.newBrowserSecret()
        let other = try AuthorizationRequest.newBrowserSecret()
        let verifier = AuthorizationRequest.deriveVerifier(browserSecret: secret, state: "s1")
        #expect(verifier.count == 43)  // 256 bits, within RFC 7636's 43...128
        #expect(verifier == AuthorizationRequest.deriveVerifier(browserSecret: secret, state: "s1"))
        #expect(verifier != AuthorizationRequest.deriveVerifier(browserSecret: secret, state: "s2"))
        #expect(verifier != AuthorizationRequest.deriveVerifier(browserSecret: other, state: "s1"))
        #expect(verifier != AuthorizationRequest.deriveNonce(browserSecret: secret, state: "s1"))
    }

    @Test func authorizeURLCarriesEveryParameter() throws {
        let secret = try AuthorizationRequest.newBrowserSecret()
        let request = try AuthorizationRequest.make(
            metadata: Self.metadata, clientID: "client id+1", redirectURI: "https://a.hf.space/login/callback?x=1&y=2",
            scopes: ["openid", "profile"], browserSecret: secret, additionalParameters: ["orgIds": "o1", "state": "evil"])
        #expect(request.state.count == 43)
        let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)!.queryItems!
        let query = Dictionary(uniqueKeysWithValues: items.map { ($0.name, $0.value ?? "") })
        #expect(request.url.absoluteString.hasPrefix("https://idp.test/oauth/authorize?"))
        #expect(query["response_type"] == "code")
        #expect(query["client_id"] == "client id+1")
        #expect(query["redirect_uri"] == "https://a.hf.space/login/callback?x=1&y=2")
        #expect(query["scope"] == "openid profile")
        #expect(query["state"] == request.state)
        #expect(query["nonce"] == AuthorizationRequest.deriveNonce(browserSecret: secret, state: request.state))
        #expect(query["code_challenge"] == AuthorizationRequest.codeChallenge(verifier: request.codeVerifier))
        #expect(query["code_challenge_method"] == "S256")
        #expect(query["orgIds"] == "o1")
        #expect(items.count == 9)  // the extra `state` did not override ours
        #expect(request.url.absoluteString.contains("client%20id%2B1"))
        #expect(!request.description.contains(request.codeVerifier))
    }

    @Test func keepsAnExistingQueryOnTheEndpoint() {
        var metadata = Self.metadata
        metadata.authorizationEndpoint = URL(string: "https://idp.test/authorize?tenant=a")!
        let request = AuthorizationRequest.make(
            metadata: metadata, clientID: "c", redirectURI: "r", scopes: ["openid"], browserSecret: Array(repeating: 7, count: 32),
            state: "st")
        #expect(request.url.absoluteString.hasPrefix("https://idp.test/authorize?tenant=a&response_type=code"))
    }
}
