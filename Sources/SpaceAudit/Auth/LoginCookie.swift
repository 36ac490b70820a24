import AuditHTTP
import AuditOIDC

/// The browser-binding cookie of a sign-in in progress: 32 random bytes (b64url) from which the
/// nonce and PKCE verifier are derived (AuditOIDC.AuthorizationRequest). The database keeps only
/// sha256 of it, so a callback from any other browser fails as `state_mismatch`.
///
/// `HttpOnly`, `SameSite=Lax` (the provider's redirect back is a top-level GET, which Lax allows),
/// `Path=/` (callbacks live under both /login and /auth), `__Host-` + `Secure` on https, and
/// `Max-Age` equal to the state lifetime.
enum LoginCookie {
    static let baseName = "spaceaudit_login"
    /// State, nonce and verifier expire together, 10 minutes after `GET /login`.
    static let lifetimeSeconds = 600

    static func name(secure: Bool) -> String { secure ? "__Host-" + baseName : baseName }

    /// The secret this browser holds, if its cookie is well-formed (exactly 32 bytes).
    static func secret(in request: Request, secure: Bool) -> [UInt8]? {
        guard let text = request.cookies[name(secure: secure)], text.utf8.count == 43,
            let bytes = Crypto.base64URLDecode(text), bytes.count == AuthorizationRequest.secretByteCount
        else { return nil }
        return bytes
    }

    static func issuing(_ secret: [UInt8], secure: Bool) -> Cookie {
        let value = Crypto.base64URLEncode(secret)
        return secure
            ? .host(name: baseName, value: value, maxAge: lifetimeSeconds, httpOnly: true, sameSite: .lax)
            : Cookie(name: baseName, value: value, path: "/", maxAge: lifetimeSeconds, secure: false, httpOnly: true, sameSite: .lax)
    }

    static func clearing(secure: Bool) -> Cookie {
        let base: Cookie =
            secure
            ? .host(name: baseName, value: "", httpOnly: true, sameSite: .lax)
            : Cookie(name: baseName, value: "", path: "/", secure: false, httpOnly: true, sameSite: .lax)
        return base.expired()
    }
}
