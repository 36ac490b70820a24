import Foundation

/// Pending sign-ins (`login_attempts`): one row per `GET /login`, consumed by the callback.
///
/// Only hashes are stored: sha256(state) and sha256(browser secret). Nonce and PKCE verifier are
/// derived from the browser's secret (see AuditOIDC.AuthorizationRequest), so a reader of this
/// table cannot finish anybody's sign-in.
public struct LoginAttemptStore: Sendable {
    /// What `GET /login` remembers until the callback.
    public struct Attempt: Sendable, Equatable {
        public var stateHash: [UInt8]
        public var browserHash: [UInt8]
        /// A local path already validated by the caller, or nil.
        public var returnTo: String?
        public var redirectURI: String
        public var scopesRequested: [String]

        public init(stateHash: [UInt8], browserHash: [UInt8], returnTo: String?, redirectURI: String, scopesRequested: [String]) {
            self.stateHash = stateHash
            self.browserHash = browserHash
            self.returnTo = returnTo
            self.redirectURI = redirectURI
            self.scopesRequested = scopesRequested
        }
    }

    /// The callback's verdict on a `state`.
    public enum Consumption: Sendable, Equatable {
        /// Unused, unexpired, same browser: the attempt, now marked used.
        case accepted(Attempt)
        /// No attempt with this state (forged or altered state).
        case unknown
        /// Already used by an earlier callback (replay).
        case reused
        /// Older than its expiry; the presentation burnt it anyway.
        case expired(Attempt)
        /// Issued to another browser (the cookie's secret does not match); burnt as well.
        case otherBrowser(Attempt)
    }

    private let pool: ConnectionPool

    public init(pool: ConnectionPool) { self.pool = pool }

    public func insert(_ attempt: Attempt, createdAt: Date, expiresAt: Date) throws {
        try pool.withConnection { connection in
            _ = try connection.execute(
                """
                INSERT INTO login_attempts (state_hash, browser_hash, return_to, redirect_uri, scopes_requested, created_at, expires_at)
                VALUES (\(attempt.stateHash), \(attempt.browserHash), \(attempt.returnTo), \(attempt.redirectURI),
                        \(attempt.scopesRequested), \(createdAt), \(expiresAt))
                """)
        }
    }

    /// Marks the attempt used in the same statement that finds it, so two callbacks racing with
    /// one state cannot both pass: the loser sees `used_at` already set. Any presentation of a
    /// known, unused state burns it, even when it then fails the expiry or browser check.
    /// `browserMatches` compares the stored browser hash (constant time, done by the caller).
    public func consume(
        stateHash: [UInt8], now: Date, browserMatches: ([UInt8]) -> Bool
    ) throws -> Consumption {
        try pool.withConnection { connection -> Consumption in
            let claimed = try connection.query(
                """
                UPDATE login_attempts SET used_at = \(now)
                 WHERE state_hash = \(stateHash) AND used_at IS NULL
                RETURNING browser_hash, return_to, redirect_uri, scopes_requested, expires_at
                """)
            guard let row = claimed.first else {
                let seen = try connection.query("SELECT 1 AS seen FROM login_attempts WHERE state_hash = \(stateHash)")
                return seen.isEmpty ? .unknown : .reused
            }
            let attempt = Attempt(
                stateHash: stateHash, browserHash: try row.bytes("browser_hash"), returnTo: try row.optionalString("return_to"),
                redirectURI: try row.string("redirect_uri"), scopesRequested: try row.stringArray("scopes_requested"))
            if try row.date("expires_at") <= now { return .expired(attempt) }
            return browserMatches(attempt.browserHash) ? .accepted(attempt) : .otherBrowser(attempt)
        }
    }

    /// Deletes attempts that expired before `cutoff`. A callback presenting one of them afterwards
    /// gets `state_mismatch` rather than `state_expired`/`state_reused`. Returns how many went.
    @discardableResult
    public func prune(before cutoff: Date) throws -> Int {
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM login_attempts WHERE expires_at < \(cutoff)")
        }
    }
}
