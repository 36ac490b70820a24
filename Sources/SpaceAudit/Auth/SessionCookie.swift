import AuditHTTP

/// The admin session cookie. On https it carries the `__Host-` prefix, which browsers accept only
/// with `Secure`, `Path=/` and no `Domain`, so no other host (another `*.hf.space` Space, say) can
/// plant or read it. Always `HttpOnly` and `SameSite=Lax`: Lax still lets the top-level return
/// from the provider carry it, and keeps it off cross-site POSTs.
/// The cookie holds a random id; `admin_sessions.id_hash` holds SHA-256 of its UTF-8 bytes.
enum SessionCookie {
    static let baseName = "spaceaudit_session"

    static func name(secure: Bool) -> String { secure ? "__Host-" + baseName : baseName }

    /// The session id a request carries, if any.
    static func value(in request: Request, secure: Bool) -> String? {
        request.cookies[name(secure: secure)]
    }

    /// The cookie that hands a new session id to the browser for `maxAge` seconds.
    static func issuing(_ sessionID: String, secure: Bool, maxAge: Int) -> Cookie {
        secure
            ? .host(name: baseName, value: sessionID, maxAge: maxAge, httpOnly: true, sameSite: .lax)
            : Cookie(name: baseName, value: sessionID, path: "/", maxAge: maxAge, secure: false, httpOnly: true, sameSite: .lax)
    }

    /// The cookie that makes the browser forget its session id.
    static func clearing(secure: Bool) -> Cookie { issuing("", secure: secure, maxAge: 0).expired() }
}
