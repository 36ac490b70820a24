import AuditCore
import Foundation

/// Which events an export (CLI or `GET /api/v1/events.csv`) covers. Empty lists mean "all".
public struct EventFilter: Sendable, Equatable {
    public var spaceIDs: [String]
    public var since: Date?
    /// Exclusive upper bound.
    public var until: Date?
    public var events: [String]
    /// Matches `user_sub` or `username` exactly.
    public var users: [String]
    /// When set, only Spaces whose owner is in this list (case-insensitive): what a viewer
    /// who is not a global admin may see. nil means no restriction.
    public var owners: [String]?

    public init(
        spaceIDs: [String] = [], since: Date? = nil, until: Date? = nil, events: [String] = [], users: [String] = [],
        owners: [String]? = nil
    ) {
        self.spaceIDs = spaceIDs
        self.since = since
        self.until = until
        self.events = events
        self.users = users
        self.owners = owners
    }

    /// The WHERE clause, every value a bind parameter.
    var whereClause: SQL {
        // `cardinality(x) = 0 OR …` keeps one statement shape whatever filters are set.
        """
        WHERE (cardinality(\(spaceIDs)::text[]) = 0 OR space_id = ANY(\(spaceIDs)::text[]))
          AND (\(since)::timestamptz IS NULL OR occurred_at >= \(since)::timestamptz)
          AND (\(until)::timestamptz IS NULL OR occurred_at < \(until)::timestamptz)
          AND (cardinality(\(events)::text[]) = 0 OR event = ANY(\(events)::text[]))
          AND (cardinality(\(users)::text[]) = 0 OR user_sub = ANY(\(users)::text[]) OR username = ANY(\(users)::text[]))
          AND (\(owners == nil) OR lower(split_part(space_id, '/', 1)) = ANY(\((owners ?? []).map { $0.lowercased() })::text[]))
        """
    }
}

/// What an export saw, for the manifest and the `export` audit event.
public struct ExportSummary: Sendable, Equatable {
    public var rows = 0
    public var firstOccurredAt: Date?
    public var lastOccurredAt: Date?
    /// Per exported Space: the chain head (seq, hex hash) in the export's snapshot.
    public var chainHeads: [(space: String, seq: Int64, hash: String)] = []

    public static func == (a: ExportSummary, b: ExportSummary) -> Bool {
        a.rows == b.rows && a.firstOccurredAt == b.firstOccurredAt && a.lastOccurredAt == b.lastOccurredAt
            && a.chainHeads.map { "\($0.space) \($0.seq) \($0.hash)" } == b.chainHeads.map { "\($0.space) \($0.seq) \($0.hash)" }
    }
}

/// Streams audit events out of PostgreSQL with flat memory: a server-side cursor read in
/// batches, inside one REPEATABLE READ READ ONLY transaction, so the export is a consistent
/// snapshot even while ingest keeps appending, and no row cap is needed.
public struct EventExport: Sendable {
    public static let batchSize = 2000
    private let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Calls `onEvent` for every matching event, ordered by Space then chain position.
    /// `onTotal`, when given, first receives the number of rows that will follow (same snapshot;
    /// it costs a count, so only a progress bar asks for it).
    public func stream(
        _ filter: EventFilter, onTotal: ((Int) -> Void)? = nil, onEvent: (LoginEvent) throws -> Void
    ) throws -> ExportSummary {
        try pool.withConnection { connection in
            try connection.transaction { transaction in
                try transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                if let onTotal {
                    let count = try transaction.query(filter.whereClause.prefixed("SELECT count(*) AS n FROM login_events "))
                    onTotal(try count[0].int("n"))
                }
                var summary = ExportSummary()
                let query = filter.whereClause.prefixed("SELECT \(Self.columns) FROM login_events ").suffixed(" ORDER BY space_id, seq")
                try transaction.forEachRow(query) { row in
                    let event = try Self.decode(row)
                    summary.rows += 1
                    summary.firstOccurredAt = min(summary.firstOccurredAt ?? event.occurredAt, event.occurredAt)
                    summary.lastOccurredAt = max(summary.lastOccurredAt ?? event.occurredAt, event.occurredAt)
                    try onEvent(event)
                }
                // Heads read in the same snapshot as the rows.
                let owners = (filter.owners ?? []).map { $0.lowercased() }
                let heads = try transaction.query(
                    """
                    SELECT space_id, seq, hash FROM chain_heads
                     WHERE (cardinality(\(filter.spaceIDs)::text[]) = 0 OR space_id = ANY(\(filter.spaceIDs)::text[]))
                       AND (\(filter.owners == nil) OR lower(split_part(space_id, '/', 1)) = ANY(\(owners)::text[]))
                     ORDER BY space_id
                    """)
                summary.chainHeads = try heads.map { row in
                    (try row.string("space_id"), Int64(try row.int("seq")), HashChain.hex(try row.bytes("hash")))
                }
                return summary
            }
        }
    }

    /// The columns `decode` reads.
    static let columns = """
        event_id::text AS event_id, space_id, seq, occurred_at, received_at, event, outcome, reason, user_sub, username, \
        orgs, scopes_requested, scopes_granted, redirect_uri, client_id, client_ip, user_agent, source, idempotency_key, \
        prev_hash, hash
        """

    /// One `login_events` row (selected with `columns`) as the domain value.
    static func decode(_ row: Row) throws -> LoginEvent {
        let spaceText = try row.string("space_id")
        guard let spaceID = SpaceID(spaceText) else {
            throw PostgresError(.decoding, "column \"space_id\" is not a Space id")
        }
        guard let kind = LoginEvent.Kind(rawValue: try row.string("event")),
            let source = LoginEvent.Source(rawValue: try row.string("source"))
        else { throw PostgresError(.decoding, "column \"event\" or \"source\" has an unknown value") }
        return LoginEvent(
            eventID: try row.string("event_id"), spaceID: spaceID, seq: Int64(try row.int("seq")),
            occurredAt: try row.date("occurred_at"), receivedAt: try row.date("received_at"), event: kind,
            outcome: try row.optionalString("outcome").flatMap(LoginEvent.Outcome.init(rawValue:)),
            reason: try row.optionalString("reason"), userSub: try row.optionalString("user_sub"),
            username: try row.optionalString("username"), orgs: try row.stringArray("orgs"),
            scopesRequested: try row.stringArray("scopes_requested"), scopesGranted: try row.stringArray("scopes_granted"),
            redirectURI: try row.optionalString("redirect_uri"), clientID: try row.optionalString("client_id"),
            clientIP: try row.optionalString("client_ip"), userAgent: try row.optionalString("user_agent"), source: source,
            idempotencyKey: try row.optionalString("idempotency_key"), hash: HashChain.hex(try row.bytes("hash")))
    }
}

extension Connection {
    /// Runs `query` through a server-side cursor, `EventExport.batchSize` rows at a time, so
    /// memory stays flat for any result size. Must run inside a transaction (cursors live in one).
    func forEachRow(_ query: SQL, batchSize: Int = EventExport.batchSize, _ body: (Row) throws -> Void) throws {
        try execute(query.prefixed("DECLARE spaceaudit_cursor NO SCROLL CURSOR FOR "))
        while true {
            let rows = try self.query("FETCH FORWARD \(unsafeRaw: String(batchSize)) FROM spaceaudit_cursor")
            for row in rows { try body(row) }
            if rows.count < batchSize { break }
        }
        try execute("CLOSE spaceaudit_cursor")
    }
}

extension SQL {
    /// The same statement with constant text in front; the bind parameters are kept.
    func prefixed(_ constant: String) -> SQL {
        var interpolation = SQL.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.text = constant + text
        interpolation.binds = binds
        return SQL(stringInterpolation: interpolation)
    }

    /// The same statement with constant text after it.
    func suffixed(_ constant: String) -> SQL {
        var interpolation = SQL.StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.text = text + constant
        interpolation.binds = binds
        return SQL(stringInterpolation: interpolation)
    }
}
