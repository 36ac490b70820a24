import AuditCore
import Foundation

/// Recomputes each Space's hash chain (docs/report-format.md, "SAC1") and reports the first
/// broken link. Detects an edited row (its hash no longer matches its content), a deleted row
/// (a gap in `seq` that no retention cut explains, or a chain shorter than its head), an
/// inserted row (a repeated `seq`, or a `prev_hash` that is not the previous row's hash) and
/// a reordering (`seq` is inside the hashed bytes, so moved rows no longer match).
///
/// Rows are read through a cursor in one REPEATABLE READ snapshot: memory stays flat.
public struct ChainVerifier: Sendable {
    public typealias Hasher = @Sendable ([UInt8]) -> [UInt8]

    public struct Break: Sendable, Equatable {
        public let seq: Int64
        /// The row at which the chain breaks, when that row exists.
        public let eventID: String?
        public let reason: String
    }

    public struct SpaceResult: Sendable, Equatable {
        public let spaceID: String
        /// Rows whose hash and link were checked (up to the break, if any).
        public var rowsChecked = 0
        /// Rows that retention removed, as recorded in `retention_cuts`.
        public var rowsCut: Int64 = 0
        public var lastSeq: Int64 = 0
        public var firstBreak: Break?
        public var isIntact: Bool { firstBreak == nil }
    }

    private let pool: ConnectionPool
    private let hash: Hasher

    public init(pool: ConnectionPool, hash: @escaping Hasher) {
        self.pool = pool
        self.hash = hash
    }

    /// Verifies `spaceIDs`, or every Space with a chain when empty.
    public func verify(spaceIDs: [String] = []) throws -> [SpaceResult] {
        try pool.withConnection { connection in
            try connection.transaction { transaction in
                try transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let spaces: [String]
                if spaceIDs.isEmpty {
                    spaces = try transaction.query(
                        "SELECT space_id FROM chain_heads UNION SELECT DISTINCT space_id FROM login_events ORDER BY 1"
                    ).map { try $0.string("space_id") }
                } else {
                    spaces = spaceIDs
                }
                return try spaces.map { try verify(space: $0, on: transaction) }
            }
        }
    }

    private struct Cut {
        let firstSeq: Int64
        let lastSeq: Int64
        let lastHash: [UInt8]
        let rows: Int64
        let retentionEventID: String
    }

    private func verify(space: String, on connection: Connection) throws -> SpaceResult {
        var result = SpaceResult(spaceID: space)
        let cuts = try connection.query(
            """
            SELECT first_seq, last_seq, last_hash, rows_removed, retention_event_id::text AS retention_event_id
              FROM retention_cuts WHERE space_id = \(space) ORDER BY first_seq
            """
        ).map { row in
            Cut(
                firstSeq: Int64(try row.int("first_seq")), lastSeq: Int64(try row.int("last_seq")),
                lastHash: try row.bytes("last_hash"), rows: Int64(try row.int("rows_removed")),
                retentionEventID: try row.string("retention_event_id"))
        }
        let cutsByFirstSeq = Dictionary(cuts.map { ($0.firstSeq, $0) }, uniquingKeysWith: { first, _ in first })
        var expectedSeq: Int64 = 1
        var previousHash: [UInt8]? = nil
        var breakFound: Break?

        func fail(_ seq: Int64, _ eventID: String?, _ reason: String) {
            if breakFound == nil { breakFound = Break(seq: seq, eventID: eventID, reason: reason) }
        }

        /// Skips the retention cuts that start exactly at `expectedSeq`, up to `seq`.
        func skipCuts(upTo seq: Int64) {
            while expectedSeq < seq, let cut = cutsByFirstSeq[expectedSeq], cut.lastSeq < seq {
                result.rowsCut += cut.rows
                expectedSeq = cut.lastSeq + 1
                previousHash = cut.lastHash
            }
        }

        let query: SQL = "SELECT \(unsafeRaw: EventExport.columns) FROM login_events WHERE space_id = \(space) ORDER BY seq, occurred_at"
        try connection.forEachRow(query) { row in
            guard breakFound == nil else { return }  // keep draining the cursor, check nothing more
            let event = try EventExport.decode(row)
            let storedPrevious = try row.optionalBytes("prev_hash")
            skipCuts(upTo: event.seq)
            if event.seq < expectedSeq {
                return fail(event.seq, event.eventID, "seq \(event.seq) appears more than once (inserted row)")
            }
            if event.seq > expectedSeq {
                return fail(
                    expectedSeq, nil,
                    "rows seq \(expectedSeq)–\(event.seq - 1) are missing and no retention cut records them (deleted rows); "
                        + "the next row is seq \(event.seq), event_id \(event.eventID)")
            }
            if storedPrevious != previousHash {
                return fail(event.seq, event.eventID, "prev_hash is not the hash of row seq \(event.seq - 1) (inserted or reordered row)")
            }
            let computed = hash(HashChain.canonicalEncoding(of: event, prevHash: previousHash))
            if HashChain.hex(computed) != event.hash {
                return fail(event.seq, event.eventID, "the row does not match its hash (edited or moved row)")
            }
            if event.event == .retention, let problem = checkRetentionRecord(event, cuts: cuts) {
                return fail(event.seq, event.eventID, problem)
            }
            previousHash = computed
            result.rowsChecked += 1
            result.lastSeq = event.seq
            expectedSeq += 1
        }
        if breakFound == nil {
            try checkHead(space: space, expectedSeq: expectedSeq, previousHash: previousHash, on: connection, fail: fail)
        }
        result.firstBreak = breakFound
        return result
    }

    private func checkHead(
        space: String, expectedSeq: Int64, previousHash: [UInt8]?, on connection: Connection,
        fail: (Int64, String?, String) -> Void
    ) throws {
        let lastSeq = expectedSeq - 1
        guard let head = try connection.query("SELECT seq, hash FROM chain_heads WHERE space_id = \(space)").first else {
            if lastSeq > 0 { fail(lastSeq, nil, "the Space has rows but no chain head") }
            return
        }
        let headSeq = Int64(try head.int("seq"))
        if headSeq > lastSeq {
            fail(lastSeq + 1, nil, "rows seq \(lastSeq + 1)–\(headSeq) are missing: the chain head says \(headSeq) (deleted rows)")
        } else if headSeq < lastSeq {
            fail(headSeq + 1, nil, "rows after the chain head (seq \(headSeq)) were added outside the store (inserted rows)")
        } else if headSeq > 0, try head.bytes("hash") != (previousHash ?? []) {
            fail(headSeq, nil, "the last row's hash differs from the recorded chain head")
        }
    }

    /// A `retention` event commits, in its hashed `reason`, to the digest of the cuts it made;
    /// nil when the `retention_cuts` rows still match it.
    private func checkRetentionRecord(_ event: LoginEvent, cuts: [Cut]) -> String? {
        guard let reason = event.reason, let digest = RetentionRecord.field("ranges_sha256", in: reason) else {
            return "retention event without its cut digest"
        }
        let own = cuts.filter { $0.retentionEventID == event.eventID }.map { ($0.firstSeq, $0.lastSeq, $0.lastHash) }
        guard RetentionRecord.digest(of: own, hash: hash) == digest else {
            return "the retention cuts recorded for this retention event were altered"
        }
        return nil
    }
}

/// The text a `retention` event carries in `reason`, e.g.
/// `cut_before=2026-01-01T00:00:00Z rows=120 ranges=2 ranges_sha256=… head_seq=431 head_hash=…`.
public enum RetentionRecord {
    public static func field(_ name: String, in reason: String) -> String? {
        reason.split(separator: " ").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }

    /// SHA-256 over one line `first-last:hexhash\n` per range, ranges ordered by first seq.
    public static func digest(of ranges: [(Int64, Int64, [UInt8])], hash: ([UInt8]) -> [UInt8]) -> String {
        let text = ranges.sorted { $0.0 < $1.0 }.map { "\($0.0)-\($0.1):\(HashChain.hex($0.2))\n" }.joined()
        return HashChain.hex(hash(Array(text.utf8)))
    }
}
