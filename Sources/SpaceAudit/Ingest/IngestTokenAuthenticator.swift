import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation
import Synchronization

/// Bearer token → the token's record, or a 401. A token is valid for its own Space only: another
/// Space's token gets 401 like a wrong one (product.md §5), with its own error code.
///
/// Tokens are looked up by SHA-256 and the stored hash is compared again in constant time.
/// Tokens verified against PostgreSQL are remembered, so that while PostgreSQL is unreachable
/// (events then go to the spool) a Space that authenticated recently can keep sending. A
/// revocation made during an outage takes effect when PostgreSQL answers again.
final class IngestTokenAuthenticator: Sendable {
    private let store: IngestTokenStore
    private let verified = Mutex<[[UInt8]: IngestTokenStore.Record]>([:])

    init(store: IngestTokenStore) {
        self.store = store
    }

    func authenticate(_ authorization: String?, spaceID: SpaceID, degraded: Bool) throws -> IngestTokenStore.Record {
        guard let authorization, !authorization.isEmpty else {
            throw Self.refusal("missing_token", "Send the Space's ingest token as Authorization: Bearer <token>.")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", IngestToken.isWellFormed(String(parts[1])) else {
            throw Self.refusal("malformed_token", "The Authorization header is not 'Bearer sa_ingest_…'.")
        }
        let tokenHash = Crypto.sha256(Array(parts[1].utf8))
        let record = try find(tokenHash, degraded: degraded)
        guard let record, Crypto.constantTimeEquals(record.tokenHash, tokenHash) else {
            throw Self.refusal("invalid_token", "The ingest token is not valid.")
        }
        guard !record.isRevoked else {
            throw Self.refusal("revoked_token", "The ingest token was revoked.")
        }
        guard record.spaceID == spaceID.description else {
            throw Self.refusal("wrong_space", "The ingest token belongs to another Space.")
        }
        return record
    }

    private func find(_ tokenHash: [UInt8], degraded: Bool) throws -> IngestTokenStore.Record? {
        if degraded, let remembered = verified.withLock({ $0[tokenHash] }) { return remembered }
        do {
            let record = try store.lookup(tokenHash: tokenHash)
            verified.withLock { cache in
                if let record, !record.isRevoked { cache[tokenHash] = record } else { cache[tokenHash] = nil }
            }
            return record
        } catch let error as PostgresError where error.isConnectionFailure {
            if let remembered = verified.withLock({ $0[tokenHash] }) { return remembered }
            throw HTTPError(
                status: 503, code: "unavailable", message: "The token cannot be checked right now; nothing was stored. Retry later.",
                headers: HTTPHeaders([("Retry-After", "5")]))
        }
    }

    static func refusal(_ code: String, _ message: String) -> HTTPError {
        HTTPError(
            status: 401, code: code, message: message,
            headers: HTTPHeaders([("WWW-Authenticate", "Bearer realm=\"spaceaudit-ingest\", error=\"invalid_token\"")]))
    }
}
