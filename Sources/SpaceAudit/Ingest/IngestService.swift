import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// The ingest side of `serve`, built once: settings, token checks, rate limiter, the event
/// recorder that every route records through, and the routes. Keeps Service.swift to a
/// few lines of wiring.
final class IngestService: Sendable {
    let settings: IngestSettings
    /// What the sign-in routes record through (spool-backed when the spool opens).
    let recorder: any EventRecorder
    private let sink: any IngestSink
    private let routes: IngestRoutes
    private let exporter: AuditExporter
    private let clock: @Sendable () -> Date
    private let log: @Sendable (String) -> Void

    /// The spool-backed recorder (also `recorder` and the ingest sink).
    let spooling: SpoolingEventRecorder

    init(
        config: Config, pool: ConnectionPool, events: EventStore, metrics: Metrics, console: Console,
        clock: @escaping @Sendable () -> Date
    ) throws {
        settings = IngestSettings(environment: ProcessInfo.processInfo.environment, dataDirectory: config.dataDir)
        let spool: EventSpool
        do {
            spool = try EventSpool(directory: settings.spoolDirectory, maxBytes: settings.spoolMaxBytes, hash: { Crypto.sha256($0) })
        } catch {
            throw RuntimeError("cannot open the durability spool in \(settings.spoolDirectory): \(error)")
        }
        if spool.discardedTailBytes > 0 {
            console.err("spaceaudit: spool: cut \(spool.discardedTailBytes) bytes of an unfinished (never acknowledged) record\n")
        }
        if !spool.isEmpty {
            console.err("spaceaudit: spool: \(spool.status.records) batches from before the restart will be written to PostgreSQL\n")
        }
        let log: @Sendable (String) -> Void = { line in console.err("spaceaudit: \(line)\n") }
        self.log = log
        self.clock = clock
        exporter = AuditExporter(pool: pool, store: events, fallbackSpace: config.serviceSpaceID)
        spooling = SpoolingEventRecorder(store: events, spool: spool, metrics: metrics, log: log)
        recorder = spooling
        sink = spooling
        routes = IngestRoutes(
            tokens: IngestTokenAuthenticator(store: IngestTokenStore(pool: pool, hash: { Crypto.sha256($0) })), sink: sink,
            limiter: IngestRateLimiter(ratePerSecond: settings.ratePerSecond, burst: settings.burst, clock: clock),
            settings: settings, metrics: metrics, clock: clock)
    }

    /// The ingest route, and the export route (which needs `sessions` for its viewer).
    func register(on router: inout Router, sessions: SessionResolver) {
        routes.register(on: &router)
        IngestExportRoutes(exporter: exporter, sessions: sessions, clock: clock, log: log).register(on: &router)
    }

    /// For /readyz. "Full" when it cannot take even a small batch (an eighth of it, at most 64 KiB).
    var spoolReadiness: SpoolReadiness {
        let status = spooling.status
        return SpoolReadiness(
            pendingBatches: status.records, pendingBytes: status.bytes, maxBytes: settings.spoolMaxBytes,
            full: status.bytes + min(64 * 1024, settings.spoolMaxBytes / 8) > settings.spoolMaxBytes)
    }
}
