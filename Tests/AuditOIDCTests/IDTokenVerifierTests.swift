import Foundation
import Testing

@testable import AuditOIDC

/// One test per refusal the audit log distinguishes, plus the attacks a naive verifier falls for.
@Suite struct IDTokenVerifierTests {
    static let issuer = "https://idp.test"
    static let jwksURL = "https://idp.test/jwks"
    let http = FakeHTTPClient()
    let clock = TestClock()
    let cache: JWKSCache

    init() {
        http.onJSON("GET", Self.jwksURL) { ["keys": [TestKey.primary.jwk()]] }
        cache = JWKSCache(http: http, clock: clock.function)
    }

    var verifier: IDTokenVerifier {
        IDTokenVerifier(issuer: Self.issuer, clientID: "client-1", keys: cache, jwksURI: URL(string: Self.jwksURL)!, clock: clock.function)
    }

    func claims(_ changes: [String: Any?] = [:]) -> [String: Any] {
        let now = clock.date.timeIntervalSince1970
        var claims: [String: Any] = [
            "iss": Self.issuer, "sub": "user-1", "aud": "client-1", "exp": Int(now) + 300, "iat": Int(now) - 5,
            "nonce": "n-1", "preferred_username": "ada", "name": "Ada",
        ]
        for (key, value) in changes { claims[key] = value }
        return claims
    }

    func header(_ changes: [String: Any] = [:]) -> [String: Any] {
        var header: [String: Any] = ["alg": "RS256", "kid": "key-1", "typ": "JWT"]
        for (key, value) in changes { header[key] = value }
        return header
    }

    func signed(_ claims: [String: Any], header: [String: Any]? = nil, key: TestKey = .primary) -> String {
        JWT.rs256(header: header ?? self.header(), claims: claims, key: key)
    }

    func expect(_ token: String, fails failure: IDTokenFailure, nonce: String = "n-1", sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: OIDCError.idToken(failure), sourceLocation: sourceLocation) {
            _ = try verifier.verify(token, expectedNonce: nonce)
        }
    }

    @Test func acceptsAValidToken() throws {
        let verified = try verifier.verify(signed(claims()), expectedNonce: "n-1")
        #expect(verified.subject == "user-1" && verified.preferredUsername == "ada" && verified.name == "Ada")
        #expect(verified.audience == ["client-1"] && verified.issuer == Self.issuer && verified.nonce == "n-1")
    }

    @Test func badSignature() {
        expect(signed(claims(), key: .attacker), fails: .badSignature)
        let token = signed(claims())
        let parts = token.split(separator: ".")
        let forged = JWT.segment(claims(["sub": "admin"]))
        expect("\(parts[0]).\(forged).\(parts[2])", fails: .badSignature)
    }

    @Test func algNoneIsRefused() {
        expect(JWT.unsigned(header: ["alg": "none"], claims: claims()), fails: .algNotAllowed)
        expect(JWT.unsigned(header: ["alg": "None", "kid": "key-1"], claims: claims()), fails: .algNotAllowed)
    }

    @Test func hs256SignedWithTheClientSecretIsRefused() {
        expect(JWT.hs256(header: header(["alg": "HS256"]), claims: claims(), secret: "client-secret"), fails: .algNotAllowed)
    }

    @Test(arguments: ["RS512", "PS256", "ES256", "rs256", ""])
    func otherAlgorithmsAreRefused(_ alg: String) {
        expect(signed(claims(), header: header(["alg": alg])), fails: .algNotAllowed)
    }

    @Test func missingAlgIsRefused() {
        expect(signed(claims(), header: ["kid": "key-1"]), fails: .algNotAllowed)
    }

    @Test func headerJWKIsNeverTrusted() {
        let embedded = TestKey.attacker.jwk()
        expect(signed(claims(), header: header(["jwk": embedded]), key: .attacker), fails: .badSignature)
        // Even a token correctly signed by the real key is refused when it carries key material.
        expect(signed(claims(), header: header(["jwk": TestKey.primary.jwk()])), fails: .badSignature)
    }

    @Test(arguments: ["jku", "x5u"])
    func headerKeyURLsAreNeverFetched(_ name: String) {
        expect(signed(claims(), header: header([name: "https://evil.test/keys"]), key: .attacker), fails: .badSignature)
        #expect(http.requests.allSatisfy { $0.url.host == "idp.test" })
    }

    @Test func headerX5CIsRefused() {
        expect(signed(claims(), header: header(["x5c": ["MIIB"]])), fails: .badSignature)
    }

    @Test func critHeaderIsMalformed() {
        expect(signed(claims(), header: header(["crit": ["exp"]])), fails: .malformed)
    }

    @Test func unknownKid() {
        expect(signed(claims(), header: header(["kid": "nope"]), key: .rotated), fails: .unknownKid)
    }

    @Test func wrongIssuer() {
        expect(signed(claims(["iss": "https://evil.test"])), fails: .wrongIssuer)
        expect(signed(claims(["iss": Self.issuer + "/"])), fails: .wrongIssuer)
    }

    @Test func wrongAudience() {
        expect(signed(claims(["aud": "client-2"])), fails: .wrongAudience)
        expect(signed(claims(["aud": ["client-2", "client-3"]])), fails: .wrongAudience)
        expect(signed(claims(["aud": "client-1", "azp": "client-2"])), fails: .wrongAudience)
    }

    @Test func severalAudiencesNeedOurAZP() throws {
        expect(signed(claims(["aud": ["client-1", "client-2"]])), fails: .wrongAudience)
        expect(signed(claims(["aud": ["client-1", "client-2"], "azp": "client-2"])), fails: .wrongAudience)
        let ok = try verifier.verify(signed(claims(["aud": ["client-1", "client-2"], "azp": "client-1"])), expectedNonce: "n-1")
        #expect(ok.authorizedParty == "client-1")
    }

    @Test func expiry() throws {
        let now = Int(clock.date.timeIntervalSince1970)
        expect(signed(claims(["exp": now - 61])), fails: .expired)
        _ = try verifier.verify(signed(claims(["exp": now - 30])), expectedNonce: "n-1")  // within the 60 s skew
    }

    @Test func issuedInFuture() throws {
        let now = Int(clock.date.timeIntervalSince1970)
        expect(signed(claims(["iat": now + 120])), fails: .issuedInFuture)
        expect(signed(claims(["nbf": now + 120])), fails: .issuedInFuture)
        _ = try verifier.verify(signed(claims(["iat": now + 30])), expectedNonce: "n-1")
    }

    @Test func nonce() {
        expect(signed(claims(["nonce": "n-2"])), fails: .nonceMismatch)
        expect(signed(claims(["nonce": nil])), fails: .nonceMismatch)
        expect(signed(claims(["nonce": 1])), fails: .nonceMismatch)
    }

    @Test func missingOrMistypedClaimsAreMalformed() {
        expect(signed(claims(["exp": nil])), fails: .malformed)
        expect(signed(claims(["iat": nil])), fails: .malformed)
        expect(signed(claims(["exp": "soon"])), fails: .malformed)
        expect(signed(claims(["sub": nil])), fails: .malformed)
        expect(signed(claims(["sub": ""])), fails: .malformed)
        expect(signed(claims(["aud": nil])), fails: .malformed)
        expect(signed(claims(["aud": [1]])), fails: .malformed)
        expect(signed(claims(["iss": nil])), fails: .malformed)
        expect(signed(claims(), header: header(["kid": 7])), fails: .malformed)
    }

    @Test func structureIsParsedStrictly() {
        let token = signed(claims())
        let parts = token.split(separator: ".").map(String.init)
        for bad in [
            "", "a.b", token + ".x", "\(parts[0]).\(parts[1])", "\(parts[0])=.\(parts[1]).\(parts[2])",
            "\(Crypto.base64URLEncode(Array("nope".utf8))).\(parts[1]).\(parts[2])",
            "\(parts[0]).\(Crypto.base64URLEncode(Array("[1]".utf8))).\(parts[2])",
            "\(parts[0]).\(parts[1]).\(parts[2])+",
        ] {
            expect(bad, fails: .malformed)
        }
        expect(String(repeating: "a", count: 20_000), fails: .malformed)
    }

    @Test func tokenWithoutKidNeedsExactlyOneKey() throws {
        let noKid: [String: Any] = ["alg": "RS256"]
        _ = try verifier.verify(signed(claims(), header: noKid), expectedNonce: "n-1")
        http.onJSON("GET", Self.jwksURL) { ["keys": [TestKey.primary.jwk(), TestKey.rotated.jwk()]] }
        let twoKeys = JWKSCache(http: http, clock: clock.function)
        let verifier2 = IDTokenVerifier(
            issuer: Self.issuer, clientID: "client-1", keys: twoKeys, jwksURI: URL(string: Self.jwksURL)!, clock: clock.function)
        #expect(throws: OIDCError.idToken(.unknownKid)) { try verifier2.verify(signed(claims(), header: noKid), expectedNonce: "n-1") }
    }

    @Test func errorsDoNotEchoTheToken() {
        let token = signed(claims(["nonce": "n-2"]))
        do {
            _ = try verifier.verify(token, expectedNonce: "n-1")
            Issue.record("expected failure")
        } catch {
            #expect(error.description == "id_token_invalid (nonce_mismatch)")
            #expect(!error.debugDescription.contains(token.prefix(20)))
            #expect(!error.debugDescription.contains("n-1"))
        }
    }
}
