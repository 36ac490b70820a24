import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// Finds the viewer behind a request's session cookie, or answers 401.
/// A session is valid while it is not ended, not past `expires_at` (absolute lifetime,
/// SPACEAUDIT_SESSION_HOURS) and was used within the idle timeout; each use moves `last_seen_at`.
///
/// When an expired session's cookie comes back, the session is ended, `session_expired` is
/// recorded (once: the session is ended by the same statement that finds it), and the 401 clears
/// the cookie.
struct SessionResolver: Sendable {
    let pool: ConnectionPool
    let secureCookies: Bool
    let idleTimeout: TimeInterval
    let clock: @Sendable () -> Date
    /// Where `session_expired` goes; nil records nothing (tests of other route groups).
    let events: AuthEventLog?

    init(
        pool: ConnectionPool, secureCookies: Bool, idleTimeout: TimeInterval, clock: @escaping @Sendable () -> Date,
        events: AuthEventLog? = nil
    ) {
        self.pool = pool
        self.secureCookies = secureCookies
        self.idleTimeout = idleTimeout
        self.clock = clock
        self.events = events
    }

    func viewer(for request: Request) throws -> Viewer {
        try session(for: request).viewer
    }

    /// The live session, or a 401 `not_signed_in` (clearing a dead cookie).
    func session(for request: Request) throws -> ResolvedSession {
        if let session = try resolve(request) { return session }
        var error = HTTPError(status: 401, code: "not_signed_in", message: "sign in to use this API")
        if SessionCookie.value(in: request, secure: secureCookies) != nil {
            error.headers.add("Set-Cookie", SessionCookie.clearing(secure: secureCookies).headerValue)
        }
        throw error
    }

    /// The viewer, or nil when the request has no live session.
    func lookup(_ request: Request) throws -> Viewer? {
        try resolve(request)?.viewer
    }

    /// The live session, or nil. Records `session_expired` the first time an expired one is seen.
    func resolve(_ request: Request) throws -> ResolvedSession? {
        guard let sessionID = SessionCookie.value(in: request, secure: secureCookies), !sessionID.isEmpty,
            sessionID.utf8.count <= 128
        else { return nil }
        let idHash = Crypto.sha256(Array(sessionID.utf8))
        let now = clock()
        let idleCutoff = now.addingTimeInterval(-idleTimeout)
        let store = SessionStore(pool: pool)
        if let record = try store.touch(idHash: idHash, now: now, idleCutoff: idleCutoff) {
            let viewer = Viewer(sub: record.sub, username: record.username, isAdminAll: record.isAdminAll, visibleOrgs: record.visibleOrgs)
            return ResolvedSession(viewer: viewer, sessionID: sessionID, idHash: idHash, record: record)
        }
        if let events, let expired = try store.endIfExpired(idHash: idHash, now: now, idleCutoff: idleCutoff) {
            let why = expired.expiresAt <= now ? "absolute_lifetime" : "idle_timeout"
            events.record(
                .sessionExpired, request: request, reason: why, user: .init(sub: expired.sub, username: expired.username))
        }
        return nil
    }
}
