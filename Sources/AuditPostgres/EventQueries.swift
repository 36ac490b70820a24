import AuditCore
import Foundation

/// Read queries behind the dashboard's JSON API: which Spaces exist, one page of a Space's
/// event log, and the activity numbers of the overview (EventQueries+Activity.swift).
///
/// Every value travels as a bind parameter. Pages are keyset-paged on `(occurred_at, seq)`,
/// newest first, so page N costs the same as page 1 and rows appended meanwhile never shift
/// a page (no OFFSET).
public struct EventQueries: Sendable {
    /// The largest page a caller may ask for; bigger pages belong to the CSV export.
    public static let maximumPageSize = 500

    let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Every Space SpaceAudit knows: registered with `spaces add`, or with recorded events.
    public func knownSpaceIDs() throws -> [SpaceID] { try KnownSpaces.all(pool) }

    /// Whether `spaceID` is registered or has events.
    public func isKnown(_ spaceID: SpaceID) throws -> Bool {
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM spaces WHERE id = \(spaceID))
                    OR EXISTS (SELECT 1 FROM chain_heads WHERE space_id = \(spaceID)) AS known
                """)
        }
        return try rows.first?.bool("known") ?? false
    }

    /// The registration of one Space, or nil when it was never registered (it may still have events).
    public func registration(of spaceID: SpaceID) throws -> SpaceRegistration? {
        let rows = try pool.withConnection { connection in
            try connection.query(
                "SELECT host, callbacks, metadata::text AS metadata, created_at, updated_at FROM spaces WHERE id = \(spaceID)")
        }
        guard let row = rows.first else { return nil }
        return SpaceRegistration(
            host: try row.string("host"), callbacks: try row.stringArray("callbacks"),
            metadataJSON: try row.string("metadata"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    /// One page of `spaceID`'s events matching `filter`, newest first, starting after `cursor`.
    /// `limit` must be 1…`maximumPageSize` (the route checks it and answers 400 otherwise).
    public func page(spaceID: SpaceID, filter: EventLogFilter, limit: Int, after cursor: EventCursor?) throws -> EventPage {
        precondition((1...Self.maximumPageSize).contains(limit), "page size out of range")
        // Absent filters bind NULL and drop out: PQexecParams plans with the actual values, so
        // `NULL IS NULL` folds away and the (space_id, occurred_at) index still serves the scan.
        // `user` is a username as shown on screen (case-insensitive, as the Hub treats them) or an
        // exact sub. The row comparison on (occurred_at, seq) is exact on ties of occurred_at, and
        // one extra row tells whether another page follows without a count(*).
        let kind = filter.event?.rawValue
        let outcome = filter.outcome?.rawValue
        let sql: SQL = """
            SELECT event_id::text AS event_id, seq, (extract(epoch FROM occurred_at) * 1000000)::bigint AS occurred_us,
                   (extract(epoch FROM received_at) * 1000000)::bigint AS received_us, event, outcome, reason, user_sub,
                   username, orgs, scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent,
                   source, idempotency_key, encode(hash, 'hex') AS hash
              FROM login_events
             WHERE space_id = \(spaceID)
               AND (\(kind)::text IS NULL OR event = \(kind))
               AND (\(outcome)::text IS NULL OR outcome = \(outcome))
               AND (\(filter.user)::text IS NULL OR lower(username) = lower(\(filter.user)) OR user_sub = \(filter.user))
               AND (\(filter.since)::timestamptz IS NULL OR occurred_at >= \(filter.since))
               AND (\(filter.until)::timestamptz IS NULL OR occurred_at < \(filter.until))
               AND (\(cursor?.occurredMicros)::bigint IS NULL
                    OR (occurred_at, seq) < (timestamptz 'epoch' + \(cursor?.occurredMicros) * interval '1 microsecond', \(cursor?.seq)))
             ORDER BY occurred_at DESC, seq DESC
             LIMIT \(limit + 1)
            """
        let rows = try pool.withConnection { connection in try connection.query(sql) }
        var events: [LoginEvent] = []
        var last: EventCursor?
        for row in rows.prefix(limit) {
            let occurredMicros = Int64(try row.int("occurred_us"))
            let seq = Int64(try row.int("seq"))
            events.append(try Self.event(from: row, spaceID: spaceID, seq: seq, occurredMicros: occurredMicros))
            last = EventCursor(occurredMicros: occurredMicros, seq: seq)
        }
        return EventPage(events: events, nextCursor: rows.count > limit ? last : nil)
    }

    private static func event(from row: Row, spaceID: SpaceID, seq: Int64, occurredMicros: Int64) throws -> LoginEvent {
        guard let kind = LoginEvent.Kind(rawValue: try row.string("event")),
            let source = LoginEvent.Source(rawValue: try row.string("source"))
        else { throw PostgresError(.decoding, "login_events row with an unknown event or source") }
        return LoginEvent(
            eventID: try row.string("event_id"), spaceID: spaceID, seq: seq,
            occurredAt: RFC3339.date(micros: occurredMicros),
            receivedAt: RFC3339.date(micros: Int64(try row.int("received_us"))), event: kind,
            outcome: try row.optionalString("outcome").flatMap(LoginEvent.Outcome.init(rawValue:)),
            reason: try row.optionalString("reason"), userSub: try row.optionalString("user_sub"),
            username: try row.optionalString("username"), orgs: try row.stringArray("orgs"),
            scopesRequested: try row.stringArray("scopes_requested"), scopesGranted: try row.stringArray("scopes_granted"),
            redirectURI: try row.optionalString("redirect_uri"), clientID: try row.optionalString("client_id"),
            clientIP: try row.optionalString("client_ip"), userAgent: try row.optionalString("user_agent"),
            source: source, idempotencyKey: try row.optionalString("idempotency_key"), hash: try row.string("hash"))
    }
}
