import AuditHTTP

/// The admin session cookie. On https it carries the `__Host-` prefix, which browsers accept only
/// with `Secure`, `Path=/` and no `Domain`, so no other host can plant or read it.
/// The cookie holds a random id; `admin_sessions.id_hash` holds SHA-256 of its UTF-8 bytes.
enum SessionCookie {
    static func name(secure: Bool) -> String { secure ? "__Host-spaceaudit_session" : "spaceaudit_session" }

    /// The session id a request carries, if any.
    static func value(in request: Request, secure: Bool) -> String? {
        request.cookies[name(secure: secure)]
    }
}
