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

    init(config: Config, pool: ConnectionPool, events: EventStore, metrics: Metrics, clock: @escaping @Sendable () -> Date) throws {
        settings = IngestSettings(environment: ProcessInfo.processInfo.environment, dataDirectory: config.dataDir)
        recorder = DirectEventRecorder(store: events)
        sink = DirectIngestSink(store: events)
        routes = IngestRoutes(
            tokens: IngestTokenAuthenticator(store: IngestTokenStore(pool: pool, hash: { Crypto.sha256($0) })), sink: sink,
            limiter: IngestRateLimiter(ratePerSecond: settings.ratePerSecond, burst: settings.burst, clock: clock),
            settings: settings, metrics: metrics, clock: clock)
    }

    func register(on router: inout Router) {
        routes.register(on: &router)
    }
}
