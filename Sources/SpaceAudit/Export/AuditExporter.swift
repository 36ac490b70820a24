import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// The audit export shared by `spaceaudit export` and `GET /api/v1/events.csv`: rows from one
/// snapshot, encoded one at a time (AuditCSVEncoder / NDJSONEncoder), handed to a writer in
/// ~64 KiB pieces, digested on the way, and then recorded as an `export` event.
struct AuditExporter: Sendable {
    enum Format: String, Sendable {
        case csv, ndjson
    }

    /// Who asked, for the `export` event.
    struct Requester: Sendable {
        var sub: String?
        var username: String
        var clientIP: String?
        var userAgent: String?
    }

    struct Result: Sendable {
        var summary: ExportSummary
        var sha256: String
        var bytes: Int
    }

    static let flushSize = 64 * 1024

    let pool: ConnectionPool
    let store: EventStore
    /// Where an export that matched no Space is recorded (the service's own Space).
    let fallbackSpace: SpaceID

    /// Streams the export to `write`. `progress` gets (rows so far, total) when given.
    func run(
        _ filter: EventFilter, format: Format, write: ([UInt8]) throws -> Void, progress: ((Int, Int) -> Void)? = nil
    ) throws -> Result {
        let digest = Crypto.SHA256Stream()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.flushSize + 4096)
        var bytes = 0
        func emit(_ piece: [UInt8], force: Bool = false) throws {
            buffer += piece
            if buffer.count >= Self.flushSize || (force && !buffer.isEmpty) {
                digest.update(buffer)
                bytes += buffer.count
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let csv = AuditCSVEncoder()
        let ndjson = NDJSONEncoder()
        if format == .csv { try emit(csv.header) }
        var total = 0
        var rows = 0
        let summary = try EventExport(pool: pool).stream(
            filter,
            onTotal: progress.map { report in
                {
                    total = $0
                    report(0, $0)
                }
            },
            onEvent: { event in
                try emit(format == .csv ? csv.encode(event) : ndjson.encode(event))
                rows += 1
                if let progress, rows % 5000 == 0 { progress(rows, total) }
            })
        try emit([], force: true)
        progress?(rows, total)
        return Result(summary: summary, sha256: HashChain.hex(digest.finish()), bytes: bytes)
    }

    /// Records the export in the chain of every Space it covered (or the requested Spaces, or
    /// the service's own Space when it matched nothing): who, which filters, how many rows.
    func record(_ result: Result, filter: EventFilter, format: Format, by requester: Requester, at now: Date) throws {
        var spaces = Set(result.summary.chainHeads.map(\.space)).union(filter.spaceIDs).compactMap(SpaceID.init)
        if spaces.isEmpty { spaces = [fallbackSpace] }
        let reason = Self.describe(filter, format: format, rows: result.summary.rows, sha256: result.sha256)
        for space in spaces.sorted() {
            let event = NewEvent(
                occurredAt: now, event: .export, outcome: .success, reason: reason, userSub: requester.sub,
                username: requester.username, clientIP: requester.clientIP, userAgent: requester.userAgent, source: .service,
                idempotencyKey: "export:" + UUID().uuidString.lowercased())
            _ = try store.append([event], spaceID: space)
        }
    }

    /// The export's parameters as compact JSON (sorted keys), stored in the event's `reason`.
    static func describe(_ filter: EventFilter, format: Format, rows: Int, sha256: String) -> String {
        struct Description: Encodable {
            let format: String
            let rows: Int
            let sha256: String
            let space: [String]?
            let since: String?
            let until: String?
            let event: [String]?
            let user: [String]?
            let owners: [String]?
        }
        let value = Description(
            format: format.rawValue, rows: rows, sha256: sha256, space: filter.spaceIDs.isEmpty ? nil : filter.spaceIDs,
            since: filter.since.map(RFC3339.format), until: filter.until.map(RFC3339.format),
            event: filter.events.isEmpty ? nil : filter.events, user: filter.users.isEmpty ? nil : filter.users,
            owners: filter.owners)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
