import AuditOIDC
import Foundation
import Testing

@testable import SpaceAudit

/// The demo's local OpenID provider, driven by the real relying party (AuditOIDC) over HTTP:
/// if these pass, `spaceaudit demo` sign-in works out of the box.
@Suite("Demo OpenID provider")
struct ApiDemoProviderTests {
    static let redirectURI = "http://127.0.0.1:7860/login/callback"

    private func withProvider(_ body: (DemoProvider, RelyingParty, URLSessionHTTPClient) throws -> Void) throws {
        let provider = try DemoProvider(
            client: .init(id: "demo-client", secret: "demo-secret", redirectURI: Self.redirectURI), port: 0)
        try provider.start()
        defer { provider.stop() }
        let http = URLSessionHTTPClient()
        let party = RelyingParty(
            configuration: .init(
                issuer: provider.issuer, clientID: "demo-client", clientSecret: "demo-secret", redirectURI: Self.redirectURI,
                scopes: ["openid", "profile"]),
            http: http)
        try body(provider, party, http)
    }

    /// Follows the authorize URL once (no redirects) and returns the callback's query items.
    private func authorize(_ url: URL, http: URLSessionHTTPClient) throws -> [String: String] {
        let response = try http.send(OutboundRequest(url: url))
        #expect(response.status == 302)
        let location = try #require(response.headers["location"])
        #expect(location.hasPrefix(Self.redirectURI + "?"))
        let items = URLComponents(string: location)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test("a full sign-in verifies (RS256, nonce, PKCE) and yields demo-admin; a code works once")
    func fullSignIn() throws {
        try withProvider { _, party, http in
            let secret = try AuthorizationRequest.newBrowserSecret()
            let start = try party.startLogin(browserSecret: secret)
            let callback = try authorize(start.url, http: http)
            #expect(callback["state"] == start.state)
            let code = try #require(callback["code"])
            let user = try party.completeLogin(code: code, state: start.state, browserSecret: secret)
            #expect(user.username == "demo-admin")
            #expect(user.sub == DemoProvider.user.sub)
            #expect(throws: OIDCError.self) { try party.completeLogin(code: code, state: start.state, browserSecret: secret) }
        }
    }

    @Test("a wrong PKCE verifier (another browser's secret) gets no tokens")
    func pkceIsChecked() throws {
        try withProvider { _, party, http in
            let secret = try AuthorizationRequest.newBrowserSecret()
            let start = try party.startLogin(browserSecret: secret)
            let code = try #require(try authorize(start.url, http: http)["code"])
            let other = try AuthorizationRequest.newBrowserSecret()
            #expect(throws: OIDCError.self) { try party.completeLogin(code: code, state: start.state, browserSecret: other) }
        }
    }

    @Test("an unregistered redirect_uri is refused with 400, never redirected to")
    func unregisteredRedirect() throws {
        try withProvider { _, party, http in
            let start = try party.startLogin(browserSecret: try AuthorizationRequest.newBrowserSecret())
            var components = URLComponents(url: start.url, resolvingAgainstBaseURL: false)!
            components.queryItems = components.queryItems!.map {
                $0.name == "redirect_uri" ? URLQueryItem(name: "redirect_uri", value: "https://evil.example/cb") : $0
            }
            let response = try http.send(OutboundRequest(url: components.url!))
            #expect(response.status == 400)
            #expect(response.headers["location"] == nil)
        }
    }

    @Test("the token endpoint refuses a wrong client secret")
    func clientAuthentication() throws {
        try withProvider { provider, _, http in
            let response = try http.send(
                OutboundRequest(
                    method: "POST", url: URL(string: provider.issuer + "/oauth/token")!,
                    headers: [
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Authorization": "Basic " + Data("demo-client:wrong".utf8).base64EncodedString(),
                    ],
                    body: Array("grant_type=authorization_code&code=x&redirect_uri=x&code_verifier=x".utf8)))
            #expect(response.status == 401)
        }
    }
}
