import Foundation

/// One row of the audit log (product.md §4). Plain value: the store assigns `seq`,
/// `receivedAt` and `hash`; tokens never appear here.
public struct LoginEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case loginStarted = "login_started"
        case loginSucceeded = "login_succeeded"
        case loginFailed = "login_failed"
        case logout
        case sessionExpired = "session_expired"
        /// SpaceAudit's own bookkeeping: an audit export was taken / a retention cut was made.
        case export
        case retention
    }

    public enum Outcome: String, Sendable, Codable {
        case success, failure
    }

    /// Who wrote the row: SpaceAudit's own sign-in, or a Space through the ingest API.
    public enum Source: String, Sendable, Codable {
        case service, ingest
    }

    public var eventID: String
    public var spaceID: SpaceID
    /// Per-Space position in the hash chain, assigned by the store (1-based).
    public var seq: Int64
    public var occurredAt: Date
    public var receivedAt: Date
    public var event: Kind
    public var outcome: Outcome?
    /// `FailureReason.rawValue` form, e.g. `idp_error:invalid_redirect_uri`.
    public var reason: String?
    public var userSub: String?
    public var username: String?
    public var orgs: [String]
    public var scopesRequested: [String]
    public var scopesGranted: [String]
    public var redirectURI: String?
    public var clientID: String?
    public var clientIP: String?
    public var userAgent: String?
    public var source: Source
    public var idempotencyKey: String?
    /// Lower-case hex of the chain hash; empty until the store computes it.
    public var hash: String

    public init(
        eventID: String, spaceID: SpaceID, seq: Int64 = 0, occurredAt: Date, receivedAt: Date? = nil,
        event: Kind, outcome: Outcome? = nil, reason: String? = nil, userSub: String? = nil,
        username: String? = nil, orgs: [String] = [], scopesRequested: [String] = [],
        scopesGranted: [String] = [], redirectURI: String? = nil, clientID: String? = nil,
        clientIP: String? = nil, userAgent: String? = nil, source: Source = .service,
        idempotencyKey: String? = nil, hash: String = ""
    ) {
        self.eventID = eventID
        self.spaceID = spaceID
        self.seq = seq
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt ?? occurredAt
        self.event = event
        self.outcome = outcome
        self.reason = reason
        self.userSub = userSub
        self.username = username
        self.orgs = orgs
        self.scopesRequested = scopesRequested
        self.scopesGranted = scopesGranted
        self.redirectURI = redirectURI
        self.clientID = clientID
        self.clientIP = clientIP
        self.userAgent = userAgent
        self.source = source
        self.idempotencyKey = idempotencyKey
        self.hash = hash
    }

    /// Same names as the audit CSV header, so JSON, NDJSON and CSV agree.
    enum CodingKeys: String, CodingKey {
        case eventID = "event_id"
        case spaceID = "space"
        case seq
        case occurredAt = "occurred_at"
        case receivedAt = "received_at"
        case event, outcome, reason
        case userSub = "user_sub"
        case username, orgs
        case scopesRequested = "scopes_requested"
        case scopesGranted = "scopes_granted"
        case redirectURI = "redirect_uri"
        case clientID = "client_id"
        case clientIP = "client_ip"
        case userAgent = "user_agent"
        case source
        case idempotencyKey = "idempotency_key"
        case hash
    }
}
