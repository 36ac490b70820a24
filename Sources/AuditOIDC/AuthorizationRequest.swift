import Foundation

/// One sign-in attempt's redirect to the provider: `state`, `nonce` and PKCE (RFC 7636, S256).
///
/// Nothing secret is stored server-side. The caller keeps `browserSecret` (32 random bytes) in an
/// HttpOnly cookie, and stores only sha256(state) and sha256(browserSecret) to enforce single use
/// and expiry. Nonce and verifier are HMACs of the state under the browser secret, so they can be
/// recomputed at the callback, cannot be predicted without the cookie, and differ per attempt:
///
///     nonce    = b64url(HMAC-SHA256(browserSecret, "nonce:" + state))
///     verifier = b64url(HMAC-SHA256(browserSecret, "pkce:"  + state))   // 43 chars, 256 bits
public struct AuthorizationRequest: Sendable, CustomStringConvertible {
    public static let secretByteCount = 32

    public let url: URL
    public let state: String
    public let nonce: String
    public let codeVerifier: String
    public let codeChallenge: String
    public let redirectURI: String
    public let scopes: [String]

    /// A fresh random `state` (32 bytes, b64url) and the URL carrying it.
    /// `additionalParameters` is for provider extras such as HF's `orgIds`; ours win on a clash.
    public static func make(
        metadata: ProviderMetadata, clientID: String, redirectURI: String, scopes: [String], browserSecret: [UInt8],
        additionalParameters: [String: String] = [:]
    ) throws(CryptoError) -> AuthorizationRequest {
        let state = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: secretByteCount))
        return make(
            metadata: metadata, clientID: clientID, redirectURI: redirectURI, scopes: scopes,
            browserSecret: browserSecret, state: state, additionalParameters: additionalParameters)
    }

    /// Deterministic variant (given state), used by `make` and by tests.
    public static func make(
        metadata: ProviderMetadata, clientID: String, redirectURI: String, scopes: [String], browserSecret: [UInt8],
        state: String, additionalParameters: [String: String] = [:]
    ) -> AuthorizationRequest {
        precondition(browserSecret.count >= 16, "browserSecret must hold at least 128 random bits")
        let nonce = deriveNonce(browserSecret: browserSecret, state: state)
        let verifier = deriveVerifier(browserSecret: browserSecret, state: state)
        let challenge = codeChallenge(verifier: verifier)
        let ours: [(String, String)] = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", state), ("nonce", nonce),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        let ourNames = Set(ours.map(\.0))
        let extras = additionalParameters.filter { !ourNames.contains($0.key) }.sorted { $0.key < $1.key }
        // Keep any query the provider's endpoint already has (allowed by RFC 6749 §3.1).
        let base = metadata.authorizationEndpoint.absoluteString
        let separator = base.contains("?") ? "&" : "?"
        let text = base + separator + FormEncoding.encode(ours + extras.map { ($0.key, $0.value) })
        guard let url = URL(string: text) else { preconditionFailure("percent-encoded URL must parse") }
        return AuthorizationRequest(
            url: url, state: state, nonce: nonce, codeVerifier: verifier, codeChallenge: challenge,
            redirectURI: redirectURI, scopes: scopes)
    }

    /// 32 fresh random bytes for the browser-binding cookie.
    public static func newBrowserSecret() throws(CryptoError) -> [UInt8] {
        try Crypto.secureRandomBytes(count: secretByteCount)
    }

    public static func deriveNonce(browserSecret: [UInt8], state: String) -> String {
        Crypto.base64URLEncode(Crypto.hmacSHA256(key: browserSecret, data: "nonce:" + state))
    }

    public static func deriveVerifier(browserSecret: [UInt8], state: String) -> String {
        Crypto.base64URLEncode(Crypto.hmacSHA256(key: browserSecret, data: "pkce:" + state))
    }

    /// S256: b64url(SHA-256(ASCII(verifier))), RFC 7636 §4.2.
    public static func codeChallenge(verifier: String) -> String {
        Crypto.base64URLEncode(Crypto.sha256(verifier))
    }

    /// Shows where the browser goes, never the verifier.
    public var description: String {
        "AuthorizationRequest(\(url.host ?? "?")\(url.path), scopes: \(scopes.joined(separator: " ")))"
    }
}
