import Foundation
import Testing

@testable import AuditOIDC

@Suite struct DiscoveryTests {
    static let documentURL = "https://idp.test/.well-known/openid-configuration"
    let http = FakeHTTPClient()
    let clock = TestClock()

    static func document(issuer: String = "https://idp.test", drop: String? = nil, base: String = "https://idp.test") -> [String: Any] {
        var doc: [String: Any] = [
            "issuer": issuer, "authorization_endpoint": "\(base)/oauth/authorize", "token_endpoint": "\(base)/oauth/token",
            "userinfo_endpoint": "\(base)/oauth/userinfo", "jwks_uri": "\(base)/oauth/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
        ]
        if let drop { doc.removeValue(forKey: drop) }
        return doc
    }

    @Test func fetchesOnceAndCaches() throws {
        http.onJSON("GET", Self.documentURL) { Self.document() }
        let discovery = Discovery(issuer: "https://idp.test", http: http, clock: clock.function)
        for _ in 0..<3 { #expect(try discovery.metadata().tokenEndpoint.absoluteString == "https://idp.test/oauth/token") }
        #expect(http.requests.count == 1)
    }

    @Test func oneTrailingSlashIsIgnoredOnEitherSide() throws {
        http.onJSON("GET", Self.documentURL) { Self.document(issuer: "https://idp.test/") }
        #expect(try Discovery(issuer: "https://idp.test", http: http).metadata().issuer == "https://idp.test/")
        #expect(try Discovery(issuer: "https://idp.test/", http: http).metadata().issuer == "https://idp.test/")
        #expect(!Discovery.sameIssuer("https://idp.test//", "https://idp.test"))
        #expect(!Discovery.sameIssuer("https://IDP.test", "https://idp.test"))
    }

    @Test(arguments: ["https://evil.test", "https://idp.test.evil", "http://idp.test", "https://idp.test/tenant"])
    func issuerMismatchIsRefused(_ announced: String) {
        http.onJSON("GET", Self.documentURL) { Self.document(issuer: announced) }
        #expect(throws: OIDCError(.providerUnreachable, subReason: "discovery_issuer_mismatch")) {
            try Discovery(issuer: "https://idp.test", http: http).metadata()
        }
    }

    @Test(arguments: ["token_endpoint", "userinfo_endpoint", "jwks_uri", "authorization_endpoint", "issuer"])
    func missingEndpointIsRefused(_ field: String) {
        http.onJSON("GET", Self.documentURL) { Self.document(drop: field) }
        #expect(throws: OIDCError(.providerUnreachable, subReason: "discovery_invalid")) {
            try Discovery(issuer: "https://idp.test", http: http).metadata()
        }
    }

    @Test func nonJSONAndPlainHTTPEndpointsAreRefused() {
        http.on("GET", Self.documentURL) { _ in OutboundResponse(status: 200, body: Array("<html>".utf8)) }
        #expect(throws: OIDCError(.providerUnreachable, subReason: "discovery_invalid")) {
            try Discovery(issuer: "https://idp.test", http: http).metadata()
        }
        http.onJSON("GET", Self.documentURL) { Self.document(base: "http://idp.test") }
        #expect(throws: OIDCError(.providerUnreachable, subReason: "discovery_invalid")) {
            try Discovery(issuer: "https://idp.test", http: http).metadata()
        }
    }

    @Test func unreachableProviderIsRetriedAfterBackoff() throws {
        let discovery = Discovery(issuer: "https://idp.test", http: http, clock: clock.function, failureBackoff: 5)
        #expect(throws: OIDCError(.providerUnreachable)) { try discovery.metadata() }
        http.onJSON("GET", Self.documentURL, status: 503) { ["error": "down"] }
        #expect(throws: OIDCError(.providerUnreachable)) { try discovery.metadata() }  // within backoff: no request
        #expect(http.requests.count == 1)
        clock.advance(5)
        #expect(throws: OIDCError(.providerUnreachable)) { try discovery.metadata() }
        clock.advance(5)
        http.onJSON("GET", Self.documentURL) { Self.document() }
        #expect(try discovery.metadata().issuer == "https://idp.test")
        #expect(http.requests.count == 3)
    }
}
