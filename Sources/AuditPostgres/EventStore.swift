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
    ///
    /// The chain is computed in Swift event by event, exactly as before; the rows then go in
    /// with a few multi-row INSERTs instead of one per event, because the rollup trigger of
    /// sql/0005 runs once per statement and each round trip costs as much as many rows.
    public func append(_ events: [NewEvent], spaceID: SpaceID, on connection: Connection) throws -> [StoredEvent] {
        _ = try connection.execute(
            "INSERT INTO chain_heads (space_id, seq, hash) VALUES (\(spaceID), 0, ''::bytea) ON CONFLICT (space_id) DO NOTHING")
        guard let head = try connection.query("SELECT seq, hash FROM chain_heads WHERE space_id = \(spaceID) FOR UPDATE").first else {
            throw EventStoreError.chainHeadMissing(spaceID)
        }
        var seq = Int64(try head.int("seq"))
        var previousHash: [UInt8]? = seq == 0 ? nil : try head.bytes("hash")
        // Keys stored before this batch, and (added below) those this batch stores: a key
        // repeated within the batch resolves to its first event, as it did one row at a time.
        var knownKeys = try existingEvents(spaceID: spaceID, keys: events.compactMap(\.idempotencyKey), on: connection)
        var rows: [ChainedRow] = []
        var newKeys: [IdempotencyRow] = []
        var results: [StoredEvent] = []
        for newEvent in events {
            let payloadDigest = hash(
                HashChain.canonicalEncoding(of: newEvent.loginEvent(eventID: "", spaceID: spaceID, seq: 0), prevHash: nil))
            if let key = newEvent.idempotencyKey, let existing = knownKeys[key] {
                guard existing.digest == payloadDigest else { throw EventStoreError.idempotencyConflict(key: key) }
                results.append(StoredEvent(eventID: existing.eventID, isNew: false))
                continue
            }
            seq += 1
            let eventID = UUID().uuidString.lowercased()
            let event = newEvent.loginEvent(eventID: eventID, spaceID: spaceID, seq: seq)
            let eventHash = hash(HashChain.canonicalEncoding(of: event, prevHash: previousHash))
            rows.append(ChainedRow(event: event, hash: eventHash, previousHash: previousHash))
            if let key = newEvent.idempotencyKey {
                knownKeys[key] = (eventID, payloadDigest)
                newKeys.append(IdempotencyRow(key: key, eventID: eventID, digest: payloadDigest))
            }
            previousHash = eventHash
            results.append(StoredEvent(eventID: eventID, isNew: true))
        }
        for chunk in rows.chunked(Self.rowsPerStatement) { try insert(chunk, on: connection) }
        for chunk in newKeys.chunked(Self.rowsPerStatement) { try insert(chunk, spaceID: spaceID, on: connection) }
        if let previousHash {
            _ = try connection.execute(
                "UPDATE chain_heads SET seq = \(seq), hash = \(previousHash), updated_at = now() WHERE space_id = \(spaceID)")
        }
        return results
    }

    /// 20 parameters a row keeps a statement far below PostgreSQL's 65,535 bind parameters.
    static let rowsPerStatement = 500

    private struct ChainedRow {
        let event: LoginEvent
        let hash: [UInt8]
        let previousHash: [UInt8]?
    }

    private struct IdempotencyRow {
        let key: String
        let eventID: String
        let digest: [UInt8]
    }

    private func existingEvents(spaceID: SpaceID, keys: [String], on connection: Connection) throws -> [String: (
        eventID: String, digest: [UInt8]
    )] {
        guard !keys.isEmpty else { return [:] }
        var found: [String: (eventID: String, digest: [UInt8])] = [:]
        for row in try connection.query(
            """
            SELECT idempotency_key, event_id::text AS event_id, payload_sha256 FROM event_idempotency
             WHERE space_id = \(spaceID) AND idempotency_key = ANY(\(keys))
            """)
        {
            found[try row.string("idempotency_key")] = (try row.string("event_id"), try row.bytes("payload_sha256"))
        }
        return found
    }

    private func insert(_ rows: ArraySlice<ChainedRow>, on connection: Connection) throws {
        var sql = SQL.StringInterpolation(literalCapacity: 400 + rows.count * 100, interpolationCount: rows.count * 20)
        sql.appendLiteral(
            """
            INSERT INTO login_events (event_id, space_id, seq, occurred_at, event, outcome, reason, user_sub, username,
              orgs, scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent, source,
              idempotency_key, prev_hash, hash)
            VALUES
            """)
        for (index, row) in rows.enumerated() {
            let event = row.event
            sql.appendLiteral(index == 0 ? " (" : ", (")
            let values: [any PostgresEncodable] = [
                UUID(uuidString: event.eventID)!, event.spaceID.description, event.seq, event.occurredAt, event.event.rawValue,
                event.outcome?.rawValue, event.reason, event.userSub, event.username, event.orgs, event.scopesRequested,
                event.scopesGranted, event.redirectURI, event.clientID, event.clientIP, event.userAgent, event.source.rawValue,
                event.idempotencyKey, row.previousHash, row.hash,
            ]
            for (column, value) in values.enumerated() {
                if column > 0 { sql.appendLiteral(", ") }
                sql.appendInterpolation(value)
            }
            sql.appendLiteral(")")
        }
        _ = try connection.execute(SQL(stringInterpolation: sql))
    }

    private func insert(_ keys: ArraySlice<IdempotencyRow>, spaceID: SpaceID, on connection: Connection) throws {
        var sql = SQL.StringInterpolation(literalCapacity: 120 + keys.count * 20, interpolationCount: keys.count * 4)
        sql.appendLiteral("INSERT INTO event_idempotency (space_id, idempotency_key, event_id, payload_sha256) VALUES")
        for (index, key) in keys.enumerated() {
            sql.appendLiteral(index == 0 ? " (" : ", (")
            sql.appendInterpolation(spaceID)
            sql.appendLiteral(", ")
            sql.appendInterpolation(key.key)
            sql.appendLiteral(", ")
            sql.appendInterpolation(UUID(uuidString: key.eventID)!)
            sql.appendLiteral(", ")
            sql.appendInterpolation(key.digest)
            sql.appendLiteral(")")
        }
        _ = try connection.execute(SQL(stringInterpolation: sql))
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

extension Array {
    /// Consecutive slices of at most `size` elements, in order.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
