import Foundation

/// Tunables of ingest and durability, from the environment (README "Ingest API"):
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `SPACEAUDIT_RETENTION_MONTHS` | ingest refuses `occurred_at` older than this many months | 12 |
/// | `SPACEAUDIT_INGEST_RATE` | requests per second per token, on average | 10 |
/// | `SPACEAUDIT_INGEST_BURST` | requests per token at once | 50 |
/// | `SPACEAUDIT_SPOOL_DIR` | the durability spool's folder | `$SPACEAUDIT_DATA_DIR/spool` |
/// | `SPACEAUDIT_SPOOL_MAX_BYTES` | spool size at which ingest answers 503 and sign-in fails closed | 268435456 (256 MiB) |
struct IngestSettings: Sendable, Equatable {
    var retentionMonths = 12
    var ratePerSecond = 10.0
    var burst = 50.0
    var spoolDirectory: String
    var spoolMaxBytes = 256 * 1024 * 1024

    /// A value that does not parse, or is out of range, leaves the default in place.
    init(environment: [String: String], dataDirectory: String) {
        spoolDirectory = environment["SPACEAUDIT_SPOOL_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? (dataDirectory + "/spool")
        if let value = Self.number(environment, "SPACEAUDIT_RETENTION_MONTHS"), value >= 1, value <= 1200 { retentionMonths = Int(value) }
        if let value = Self.number(environment, "SPACEAUDIT_INGEST_RATE"), value > 0 { ratePerSecond = value }
        if let value = Self.number(environment, "SPACEAUDIT_INGEST_BURST"), value >= 1 { burst = value.rounded(.down) }
        if let value = Self.number(environment, "SPACEAUDIT_SPOOL_MAX_BYTES"), value >= 4096 { spoolMaxBytes = Int(value) }
    }

    private static func number(_ environment: [String: String], _ name: String) -> Double? {
        environment[name].flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil }
    }

    /// The start of the retention window at `now`: `retentionMonths` calendar months back (UTC).
    func oldestAccepted(now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: -retentionMonths, to: now)!
    }
}
