import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// Finds the viewer behind a request's session cookie, or answers 401.
/// A session is valid while it is not ended, not past `expires_at` (absolute lifetime) and was
/// seen within the idle timeout; each use moves `last_seen_at`.
struct SessionResolver: Sendable {
    let pool: ConnectionPool
    let secureCookies: Bool
    let idleTimeout: TimeInterval
    let clock: @Sendable () -> Date

    func viewer(for request: Request) throws -> Viewer {
        guard let viewer = try lookup(request) else {
            throw HTTPError(status: 401, code: "not_signed_in", message: "sign in to use this API")
        }
        return viewer
    }

    /// The viewer, or nil when the request has no live session.
    func lookup(_ request: Request) throws -> Viewer? {
        guard let sessionID = SessionCookie.value(in: request, secure: secureCookies), !sessionID.isEmpty else { return nil }
        let idHash = Crypto.sha256(Array(sessionID.utf8))
        let now = clock()
        let idleCutoff = now.addingTimeInterval(-idleTimeout)
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                UPDATE admin_sessions SET last_seen_at = \(now)
                 WHERE id_hash = \(idHash) AND ended_at IS NULL AND expires_at > \(now) AND last_seen_at > \(idleCutoff)
                RETURNING sub, username, is_admin_all, visible_orgs
                """)
        }
        guard let row = rows.first else { return nil }
        return Viewer(
            sub: try row.string("sub"), username: try row.string("username"),
            isAdminAll: try row.bool("is_admin_all"), visibleOrgs: try row.stringArray("visible_orgs"))
    }
}
