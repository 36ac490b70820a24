import Foundation

/// Server-side admin sessions (`admin_sessions`). The browser holds a random id; the table holds
/// only sha256 of it (and sha256 of the session's CSRF token), so a database reader cannot
/// impersonate anybody.
///
/// A session is live while `ended_at` is NULL, `expires_at` (absolute lifetime) is in the future
/// and it was used within the idle timeout. Ending happens once: logout, or the first time an
/// expired session's cookie comes back (so `session_expired` is recorded once).
public struct SessionStore: Sendable {
    public struct NewSession: Sendable {
        public var idHash: [UInt8]
        public var csrfHash: [UInt8]
        public var sub: String
        public var username: String
        /// The provider's orgs with roles, as JSON text (kept for the audit trail of who saw what).
        public var orgsJSON: String
        public var isAdminAll: Bool
        public var visibleOrgs: [String]

        public init(
            idHash: [UInt8], csrfHash: [UInt8], sub: String, username: String, orgsJSON: String, isAdminAll: Bool,
            visibleOrgs: [String]
        ) {
            self.idHash = idHash
            self.csrfHash = csrfHash
            self.sub = sub
            self.username = username
            self.orgsJSON = orgsJSON
            self.isAdminAll = isAdminAll
            self.visibleOrgs = visibleOrgs
        }
    }

    /// A stored session as the routes need it.
    public struct Record: Sendable, Equatable {
        public var sub: String
        public var username: String
        public var isAdminAll: Bool
        public var visibleOrgs: [String]
        public var csrfHash: [UInt8]
        public var expiresAt: Date
    }

    private let pool: ConnectionPool

    public init(pool: ConnectionPool) { self.pool = pool }

    public func create(_ session: NewSession, now: Date, expiresAt: Date) throws {
        try pool.withConnection { connection in
            _ = try connection.execute(
                """
                INSERT INTO admin_sessions (id_hash, sub, username, orgs, is_admin_all, visible_orgs, csrf_hash,
                                            created_at, last_seen_at, expires_at)
                VALUES (\(session.idHash), \(session.sub), \(session.username), \(session.orgsJSON)::jsonb, \(session.isAdminAll),
                        \(session.visibleOrgs), \(session.csrfHash), \(now), \(now), \(expiresAt))
                """)
        }
    }

    /// The live session with this id hash, its `last_seen_at` moved to `now`; nil otherwise.
    public func touch(idHash: [UInt8], now: Date, idleCutoff: Date) throws -> Record? {
        try single(
            """
            UPDATE admin_sessions SET last_seen_at = \(now)
             WHERE id_hash = \(idHash) AND ended_at IS NULL AND expires_at > \(now) AND last_seen_at > \(idleCutoff)
            RETURNING sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at
            """)
    }

    /// Ends a session that is past its absolute or idle expiry and not yet ended; returns it the
    /// one time this happens (the caller records `session_expired`), nil afterwards.
    public func endIfExpired(idHash: [UInt8], now: Date, idleCutoff: Date) throws -> Record? {
        try single(
            """
            UPDATE admin_sessions SET ended_at = \(now)
             WHERE id_hash = \(idHash) AND ended_at IS NULL AND (expires_at <= \(now) OR last_seen_at <= \(idleCutoff))
            RETURNING sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at
            """)
    }

    /// Ends a live session (logout, or a new sign-in in the same browser); nil if it was not live.
    public func end(idHash: [UInt8], now: Date) throws -> Record? {
        try single(
            """
            UPDATE admin_sessions SET ended_at = \(now)
             WHERE id_hash = \(idHash) AND ended_at IS NULL AND expires_at > \(now)
            RETURNING sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at
            """)
    }

    private func single(_ sql: SQL) throws -> Record? {
        let rows = try pool.withConnection { connection in try connection.query(sql) }
        guard let row = rows.first else { return nil }
        return Record(
            sub: try row.string("sub"), username: try row.string("username"), isAdminAll: try row.bool("is_admin_all"),
            visibleOrgs: try row.stringArray("visible_orgs"), csrfHash: try row.bytes("csrf_hash"),
            expiresAt: try row.date("expires_at"))
    }
}
