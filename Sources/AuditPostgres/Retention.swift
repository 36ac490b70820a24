import AuditCore
import Foundation

/// Drops whole monthly partitions of `login_events` (product.md §4: never row by row) and
/// leaves evidence so that `verify` still passes: per Space, the runs of chain positions that
/// went (`retention_cuts`) and a `retention` event in the chain that commits to them.
///
/// Everything happens in one transaction with `spaceaudit.retention` set (the only setting
/// under which the append-only trigger lets rows go), so a failure drops nothing.
public struct Retention: Sendable {
    public typealias Hasher = @Sendable ([UInt8]) -> [UInt8]

    public struct Outcome: Sendable, Equatable {
        public var cutBefore: Date
        public var droppedPartitions: [String] = []
        public var rowsRemoved: Int64 = 0
        /// Per Space that lost rows: rows removed and the retention event recorded.
        public var spaces: [(space: String, rows: Int64, retentionEventID: String)] = []

        public static func == (a: Outcome, b: Outcome) -> Bool {
            a.cutBefore == b.cutBefore && a.droppedPartitions == b.droppedPartitions && a.rowsRemoved == b.rowsRemoved
                && a.spaces.map { "\($0.space) \($0.rows)" } == b.spaces.map { "\($0.space) \($0.rows)" }
        }
    }

    private let pool: ConnectionPool
    private let store: EventStore
    private let hash: Hasher

    public init(pool: ConnectionPool, hash: @escaping Hasher) {
        self.pool = pool
        self.hash = hash
        self.store = EventStore(pool: pool, hash: hash)
    }

    /// The first instant kept: the start of the UTC month `keepMonths` months before `now`'s.
    /// `--keep-months 1` on 2026-05-17 keeps April and May: the cutoff is 2026-04-01.
    public static func cutoff(keepMonths: Int, now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        return calendar.date(byAdding: .month, value: -keepMonths, to: thisMonth)!
    }

    /// Drops every month partition that ends at or before `cutoff(keepMonths:now:)`.
    public func run(keepMonths: Int, now: Date) throws -> Outcome {
        precondition(keepMonths >= 1, "keep at least the current month")
        let cutBefore = Self.cutoff(keepMonths: keepMonths, now: now)
        var outcome = Outcome(cutBefore: cutBefore)
        return try pool.withConnection { connection in
            // The retention events go into the current month: make sure its partition exists
            // before the transaction (creating one locks the parent).
            _ = try connection.query("SELECT ensure_login_events_partition(\(now))")
            return try connection.transaction { transaction in
                _ = try transaction.query("SELECT set_config('spaceaudit.retention', 'on', true)")
                let partitions = try oldPartitions(before: cutBefore, on: transaction)
                guard !partitions.isEmpty else { return outcome }
                let runs = try removedRuns(before: cutBefore, on: transaction)
                for space in Array(Set(runs.map(\.space))).sorted() {
                    let own = runs.filter { $0.space == space }
                    let eventID = try recordCut(space: space, runs: own, cutBefore: cutBefore, now: now, on: transaction)
                    let rows = own.reduce(0) { $0 + $1.rows }
                    outcome.spaces.append((space, rows, eventID))
                    outcome.rowsRemoved += rows
                }
                for partition in partitions {
                    try transaction.execute("DROP TABLE \(identifier: partition.schema).\(identifier: partition.name)")
                    outcome.droppedPartitions.append(partition.name)
                }
                return outcome
            }
        }
    }

    private struct Run {
        let space: String
        let firstSeq: Int64
        let lastSeq: Int64
        let lastHash: [UInt8]
        let rows: Int64
    }

    /// Month partitions (`login_events_yYYYYmMM`) whose whole range lies before `cutBefore`.
    private func oldPartitions(before cutBefore: Date, on connection: Connection) throws -> [(schema: String, name: String)] {
        let rows = try connection.query(
            """
            SELECT n.nspname AS schema, c.relname AS name
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE i.inhparent = 'login_events'::regclass AND c.relname ~ '^login_events_y[0-9]{4}m[0-9]{2}$'
               AND (to_timestamp(substr(c.relname, 15, 4) || '-' || substr(c.relname, 20, 2) || '-01', 'YYYY-MM-DD')::timestamp
                    + interval '1 month') AT TIME ZONE 'UTC' <= \(cutBefore)
             ORDER BY c.relname
            """)
        return try rows.map { (try $0.string("schema"), try $0.string("name")) }
    }

    /// The runs of consecutive chain positions (per Space) that live before `cutBefore`.
    private func removedRuns(before cutBefore: Date, on connection: Connection) throws -> [Run] {
        try connection.query(
            """
            SELECT space_id, min(seq) AS first_seq, max(seq) AS last_seq, count(*) AS rows,
                   (array_agg(hash ORDER BY seq DESC))[1] AS last_hash
              FROM (SELECT space_id, seq, hash, seq - row_number() OVER (PARTITION BY space_id ORDER BY seq) AS run
                      FROM login_events WHERE occurred_at < \(cutBefore)) numbered
             GROUP BY space_id, run
             ORDER BY space_id, first_seq
            """
        ).map { row in
            Run(
                space: try row.string("space_id"), firstSeq: Int64(try row.int("first_seq")),
                lastSeq: Int64(try row.int("last_seq")), lastHash: try row.bytes("last_hash"), rows: Int64(try row.int("rows")))
        }
    }

    /// Appends the Space's `retention` event (committing to the runs and the chain head it cut
    /// at) and the `retention_cuts` rows; returns the event id.
    private func recordCut(space: String, runs: [Run], cutBefore: Date, now: Date, on connection: Connection) throws -> String {
        guard let spaceID = SpaceID(space) else { throw PostgresError(.decoding, "login_events holds an invalid Space id") }
        let head = try connection.query("SELECT seq, hash FROM chain_heads WHERE space_id = \(space)").first
        let headSeq = try head.map { Int64(try $0.int("seq")) } ?? 0
        let headHash = try head.map { HashChain.hex(try $0.bytes("hash")) } ?? ""
        let digest = RetentionRecord.digest(of: runs.map { ($0.firstSeq, $0.lastSeq, $0.lastHash) }, hash: hash)
        let rows = runs.reduce(0) { $0 + $1.rows }
        let reason =
            "cut_before=\(RFC3339.format(cutBefore)) rows=\(rows) ranges=\(runs.count) ranges_sha256=\(digest) head_seq=\(headSeq) head_hash=\(headHash)"
        let event = NewEvent(
            occurredAt: now, event: .retention, outcome: .success, reason: reason, source: .service,
            idempotencyKey: "retention:\(UUID().uuidString.lowercased())")
        guard let stored = try store.append([event], spaceID: spaceID, on: connection).first else {
            throw PostgresError(.misuse, "the retention event was not stored")
        }
        for run in runs {
            try connection.execute(
                """
                INSERT INTO retention_cuts (space_id, first_seq, last_seq, last_hash, rows_removed, retention_event_id)
                VALUES (\(space), \(run.firstSeq), \(run.lastSeq), \(run.lastHash), \(run.rows), \(UUID(uuidString: stored.eventID)!))
                """)
        }
        return stored.eventID
    }
}
