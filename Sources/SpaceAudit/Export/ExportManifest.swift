import AuditCore
import AuditPostgres
import Foundation

/// `FILE.manifest.json`, written beside `export -o FILE`: enough to check later that the file
/// is complete and unaltered (rows, SHA-256) and to anchor it to the log (chain heads of the
/// snapshot it was taken from).
struct ExportManifest: Encodable {
    struct ChainHead: Encodable {
        let space: String
        let seq: Int64
        let hash: String
    }

    struct TimeRange: Encodable {
        let firstOccurredAt: String?
        let lastOccurredAt: String?

        enum CodingKeys: String, CodingKey {
            case firstOccurredAt = "first_occurred_at"
            case lastOccurredAt = "last_occurred_at"
        }
    }

    let file: String
    let format: String
    let rows: Int
    let bytes: Int
    let sha256: String
    let timeRange: TimeRange
    let chainHeads: [ChainHead]
    let filters: String
    let generatedAt: String

    enum CodingKeys: String, CodingKey {
        case file, format, rows, bytes, sha256, filters
        case timeRange = "time_range"
        case chainHeads = "chain_heads"
        case generatedAt = "generated_at"
    }

    init(file: String, format: AuditExporter.Format, result: AuditExporter.Result, filter: EventFilter, now: Date) {
        self.file = file
        self.format = format.rawValue
        rows = result.summary.rows
        bytes = result.bytes
        sha256 = result.sha256
        timeRange = TimeRange(
            firstOccurredAt: result.summary.firstOccurredAt.map(RFC3339.format),
            lastOccurredAt: result.summary.lastOccurredAt.map(RFC3339.format))
        chainHeads = result.summary.chainHeads.map { ChainHead(space: $0.space, seq: $0.seq, hash: $0.hash) }
        filters = AuditExporter.describe(filter, format: format, rows: result.summary.rows, sha256: result.sha256)
        generatedAt = RFC3339.format(now)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
