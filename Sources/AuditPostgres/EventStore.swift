import AuditCore
import Foundation

/// An event to record; the store gives it its id, chain position and hash.
public struct NewEvent: Sendable, Equatable {
    public var occurredAt: Date
    public var event: LoginEvent.Kind
    public var outcome: LoginEvent.Outcome?
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
    public var source: LoginEvent.Source
    public var idempotencyKey: String?

    public init(
        occurredAt: Date, event: LoginEvent.Kind, outcome: LoginEvent.Outcome? = nil, reason: String? = nil, userSub: String? = nil,
        username: String? = nil, orgs: [String] = [], scopesRequested: [String] = [], scopesGranted: [String] = [],
        redirectURI: String? = nil, clientID: String? = nil, clientIP: String? = nil, userAgent: String? = nil,
        source: LoginEvent.Source, idempotencyKey: String? = nil
    ) {
        self.occurredAt = occurredAt
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
    }
}

/// What happened to one event of a batch.
public struct StoredEvent: Sendable, Equatable {
    public let eventID: String
    /// False when the idempotency key was seen before with the same payload: nothing new stored.
    public let isNew: Bool
}

/// Appends events to `login_events`, keeping each Space's hash chain linear.
///
/// A batch is one transaction. The Space's row in `chain_heads` is locked `FOR UPDATE` first,
/// so two writers for the same Space queue up instead of forking the chain; writers for
/// different Spaces do not wait for each other.
public struct EventStore: Sendable {
    public typealias Hasher = @Sendable ([UInt8]) -> [UInt8]

    private let pool: ConnectionPool
    private let hash: Hasher

    /// `hash` is SHA-256; it is injected because OpenSSL is wrapped by another module.
    public init(pool: ConnectionPool, hash: @escaping Hasher) {
        self.pool = pool
        self.hash = hash
    }

    /// Stores `events` for `spaceID` all-or-nothing. A repeated idempotency key with the same
    /// payload returns the stored id; with a different payload the whole batch fails with
    /// `EventStoreError.idempotencyConflict`.
    public func append(_ events: [NewEvent], spaceID: SpaceID) throws -> [StoredEvent] {
        try pool.withConnection { connection in
            try ensurePartitions(for: events, on: connection)
            return try connection.transaction { transaction in
                try append(events, spaceID: spaceID, on: transaction)
            }
        }
    }

    /// Creates the month partitions `events` need. Run it outside the insert transaction:
    /// creating a partition locks the parent table until its transaction ends.
    public func ensurePartitions(for events: [NewEvent], on connection: Connection) throws {
        for month in Set(events.map { Self.monthStart($0.occurredAt) }) {
            _ = try connection.query("SELECT ensure_login_events_partition(\(month))")
        }
    }

    /// Appends inside a transaction the caller owns (the spool replay uses this), after
    /// `ensurePartitions`.
    public func append(_ events: [NewEvent], spaceID: SpaceID, on connection: Connection) throws -> [StoredEvent] {
        _ = try connection.execute(
            "INSERT INTO chain_heads (space_id, seq, hash) VALUES (\(spaceID), 0, ''::bytea) ON CONFLICT (space_id) DO NOTHING")
        guard let head = try connection.query("SELECT seq, hash FROM chain_heads WHERE space_id = \(spaceID) FOR UPDATE").first else {
            throw EventStoreError.chainHeadMissing(spaceID)
        }
        var seq = Int64(try head.int("seq"))
        var previousHash: [UInt8]? = seq == 0 ? nil : try head.bytes("hash")
        var results: [StoredEvent] = []
        for newEvent in events {
            let payloadDigest = hash(HashChain.canonicalEncoding(of: newEvent.loginEvent(eventID: "", spaceID: spaceID, seq: 0), prevHash: nil))
            if let key = newEvent.idempotencyKey, let existing = try existingEvent(spaceID: spaceID, key: key, on: connection) {
                guard existing.digest == payloadDigest else { throw EventStoreError.idempotencyConflict(key: key) }
                results.append(StoredEvent(eventID: existing.eventID, isNew: false))
                continue
            }
            seq += 1
            let eventID = UUID().uuidString.lowercased()
            let event = newEvent.loginEvent(eventID: eventID, spaceID: spaceID, seq: seq)
            let eventHash = hash(HashChain.canonicalEncoding(of: event, prevHash: previousHash))
            try insert(event, hash: eventHash, previousHash: previousHash, on: connection)
            if let key = newEvent.idempotencyKey {
                _ = try connection.execute(
                    """
                    INSERT INTO event_idempotency (space_id, idempotency_key, event_id, payload_sha256)
                    VALUES (\(spaceID), \(key), \(UUID(uuidString: eventID)!), \(payloadDigest))
                    """)
            }
            previousHash = eventHash
            results.append(StoredEvent(eventID: eventID, isNew: true))
        }
        if let previousHash {
            _ = try connection.execute("UPDATE chain_heads SET seq = \(seq), hash = \(previousHash), updated_at = now() WHERE space_id = \(spaceID)")
        }
        return results
    }

    private func existingEvent(spaceID: SpaceID, key: String, on connection: Connection) throws -> (eventID: String, digest: [UInt8])? {
        guard
            let row = try connection.query(
                "SELECT event_id::text AS event_id, payload_sha256 FROM event_idempotency WHERE space_id = \(spaceID) AND idempotency_key = \(key)"
            ).first
        else { return nil }
        return (try row.string("event_id"), try row.bytes("payload_sha256"))
    }

    private func insert(_ event: LoginEvent, hash: [UInt8], previousHash: [UInt8]?, on connection: Connection) throws {
        _ = try connection.execute(
            """
            INSERT INTO login_events (event_id, space_id, seq, occurred_at, event, outcome, reason, user_sub, username,
              orgs, scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent, source,
              idempotency_key, prev_hash, hash)
            VALUES (\(UUID(uuidString: event.eventID)!), \(event.spaceID.description), \(event.seq), \(event.occurredAt),
              \(event.event.rawValue), \(event.outcome?.rawValue), \(event.reason), \(event.userSub), \(event.username), \(event.orgs),
              \(event.scopesRequested), \(event.scopesGranted), \(event.redirectURI), \(event.clientID), \(event.clientIP),
              \(event.userAgent), \(event.source.rawValue), \(event.idempotencyKey), \(previousHash), \(hash))
            """)
    }

    /// The first instant of `date`'s month in UTC: the partition the row belongs to.
    static func monthStart(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
    }
}

extension NewEvent {
    /// The domain event this becomes once it has an id and a place in the chain. With an empty
    /// id and seq 0 its canonical encoding is the payload that idempotency keys are checked against.
    func loginEvent(eventID: String, spaceID: SpaceID, seq: Int64) -> LoginEvent {
        LoginEvent(
            eventID: eventID, spaceID: spaceID, seq: seq, occurredAt: occurredAt, receivedAt: occurredAt, event: event,
            outcome: outcome, reason: reason, userSub: userSub, username: username, orgs: orgs,
            scopesRequested: scopesRequested, scopesGranted: scopesGranted, redirectURI: redirectURI, clientID: clientID,
            clientIP: clientIP, userAgent: userAgent, source: source, idempotencyKey: idempotencyKey, hash: "")
    }
}

public struct EventStoreError: Error, CustomStringConvertible {
    public let description: String

    static func idempotencyConflict(key: String) -> EventStoreError {
        EventStoreError(description: "idempotency key '\(key)' was already used for a different event")
    }

    static func chainHeadMissing(_ spaceID: SpaceID) -> EventStoreError {
        EventStoreError(description: "the hash-chain head of \(spaceID) is missing")
    }
}
