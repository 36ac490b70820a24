import AuditPostgres
import Foundation

/// A live session found from a request's cookie: who it is, plus what `/api/v1/me` and
/// `POST /logout` need (the id's hash, the CSRF token's hash and expiry).
struct ResolvedSession: Sendable {
    let viewer: Viewer
    /// The cookie's value; kept in memory for this request only, to derive the CSRF token.
    let sessionID: String
    let idHash: [UInt8]
    let record: SessionStore.Record

    var csrfToken: String { CSRFGuard.token(sessionID: sessionID) }
}
