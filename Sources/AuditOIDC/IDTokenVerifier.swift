import AuditCore
import Foundation

/// Verifies an ID token (OpenID Connect Core §3.1.3.7) received from the token endpoint.
///
/// The algorithm is fixed to RS256 and the key always comes from the provider's JWKS: nothing in
/// the token (its `alg`, a `jwk`/`jku`/`x5u`/`x5c` header) can choose how it is checked. Checks run
/// in a fixed order (structure, alg, key, signature, iss, aud/azp, exp, iat/nbf, sub, nonce) so
/// that the first failure decides the sub-reason.
public struct IDTokenVerifier: Sendable {
    /// Tolerated clock difference between us and the provider, for `exp`, `iat` and `nbf`.
    public static let clockSkew: TimeInterval = 60
    /// Larger tokens are refused before any parsing (HF tokens are well under 2 KiB).
    public static let maximumTokenLength = 16 * 1024
    /// Header parameters that name or carry a key. A verifier must never use them (that would
    /// let the token pick its own key); we refuse the token outright, as `bad_signature`.
    public static let keyCarryingHeaders: Set<String> = ["jwk", "jku", "x5u", "x5c"]

    public let issuer: String
    public let clientID: String
    private let keys: JWKSCache
    private let jwksURI: URL
    private let clock: @Sendable () -> Date

    /// `issuer` is the discovery document's `issuer`; the token's `iss` must equal it exactly.
    public init(issuer: String, clientID: String, keys: JWKSCache, jwksURI: URL, clock: @escaping @Sendable () -> Date) {
        self.issuer = issuer
        self.clientID = clientID
        self.keys = keys
        self.jwksURI = jwksURI
        self.clock = clock
    }

    public func verify(_ token: String, expectedNonce: String) throws(OIDCError) -> IDTokenClaims {
        let jws = try CompactJWS(token)
        guard jws.header["alg"]?.string == "RS256" else {
            throw .idToken(.algNotAllowed, "alg \(jws.header["alg"]?.string?.debugDescription ?? "(missing)") is not RS256")
        }
        if let carried = jws.header.keys.first(where: Self.keyCarryingHeaders.contains) {
            throw .idToken(.badSignature, "token carries its own key material in header \(carried.debugDescription)")
        }
        if jws.header["crit"] != nil {
            throw .idToken(.malformed, "header crit names extensions we do not implement")
        }
        var kid: String?
        if let value = jws.header["kid"] {
            guard let string = value.string else { throw .idToken(.malformed, "kid is not a string") }
            kid = string
        }
        let key = try keys.key(kid: kid, jwksURI: jwksURI)
        guard
            Crypto.verifyRS256(
                signingInput: jws.signingInput, signature: jws.signature, modulus: key.modulus, exponent: key.exponent)
        else { throw .idToken(.badSignature, "RS256 signature does not verify with JWKS key") }
        return try checkClaims(jws.payload, expectedNonce: expectedNonce)
    }

    private func checkClaims(_ claims: [String: JSONValue], expectedNonce: String) throws(OIDCError) -> IDTokenClaims {
        guard let iss = claims["iss"]?.string else { throw .idToken(.malformed, "iss missing or not a string") }
        guard iss == issuer else { throw .idToken(.wrongIssuer, "iss \(iss.debugDescription) is not \(issuer.debugDescription)") }

        let audience: [String]
        switch claims["aud"] {
        case .string(let single): audience = [single]
        case .array(let values):
            audience = values.compactMap(\.string)
            guard audience.count == values.count, !audience.isEmpty else { throw .idToken(.malformed, "aud is not a string list") }
        default: throw .idToken(.malformed, "aud missing or not a string or list")
        }
        guard audience.contains(clientID) else { throw .idToken(.wrongAudience, "aud does not contain our client_id") }
        var azp: String?
        if let value = claims["azp"] {
            guard let string = value.string else { throw .idToken(.malformed, "azp is not a string") }
            azp = string
        }
        // Core §3.1.3.7 items 4–5: with other audiences, the token must say it was issued to us.
        if audience.count > 1, azp == nil { throw .idToken(.wrongAudience, "several audiences and no azp") }
        if let azp, azp != clientID { throw .idToken(.wrongAudience, "azp is not our client_id") }

        let now = clock().timeIntervalSince1970
        guard let exp = claims["exp"]?.number, exp.isFinite else { throw .idToken(.malformed, "exp missing or not a number") }
        guard let iat = claims["iat"]?.number, iat.isFinite else { throw .idToken(.malformed, "iat missing or not a number") }
        guard now < exp + Self.clockSkew else { throw .idToken(.expired, "expired \(Int(now - exp)) s ago") }
        guard iat <= now + Self.clockSkew else { throw .idToken(.issuedInFuture, "iat \(Int(iat - now)) s in the future") }
        if let nbf = claims["nbf"] {
            guard let value = nbf.number, value.isFinite else { throw .idToken(.malformed, "nbf is not a number") }
            guard value <= now + Self.clockSkew else { throw .idToken(.issuedInFuture, "nbf in the future") }
        }
        guard let sub = claims["sub"]?.string, !sub.isEmpty else { throw .idToken(.malformed, "sub missing or empty") }

        guard let nonce = claims["nonce"]?.string else { throw .idToken(.nonceMismatch, "nonce missing") }
        guard Crypto.constantTimeEquals(Array(nonce.utf8), Array(expectedNonce.utf8)) else {
            throw .idToken(.nonceMismatch, "nonce differs from the one derived for this state")
        }
        return IDTokenClaims(
            subject: sub, nonce: nonce, issuer: iss, audience: audience, authorizedParty: azp,
            expiresAt: Date(timeIntervalSince1970: exp), issuedAt: Date(timeIntervalSince1970: iat),
            preferredUsername: claims["preferred_username"]?.string, name: claims["name"]?.string)
    }
}
