import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// Everything `serve` runs, wired once: configuration, database, routes, server.
/// Each route group lives in `Routes/` and registers itself here.
final class Service: Sendable {
    let config: Config
    let database: DatabaseSession
    let metrics = Metrics()
    let events: EventStore
    /// Where the service's own sign-in events and ingested events are recorded.
    let recorder: any EventRecorder
    /// Cookie → signed-in viewer, for every route that needs a session.
    let sessions: SessionResolver
    let clock: @Sendable () -> Date
    /// Ingest API, spool and export (Routes/IngestRoutes.swift, Durability/, Export/).
    let ingest: IngestService
    private let server: HTTPServer

    init(config: Config, database: DatabaseSession, webRoot: URL, console: Console) throws {
        self.config = config
        self.database = database
        self.events = EventStore(pool: database.pool, hash: { Crypto.sha256($0) })
        let clock: @Sendable () -> Date = { Date() }
        self.clock = clock
        self.ingest = try IngestService(
            config: config, pool: database.pool, events: events, metrics: metrics, console: console, clock: clock)
        self.recorder = ingest.recorder
        let log: @Sendable (String) -> Void = { line in console.err(line + "\n") }
        let authEvents = AuthEventLog(config: config, recorder: recorder, clock: clock, log: log)
        self.sessions = SessionResolver(
            pool: database.pool, secureCookies: config.publicURL.hasPrefix("https://"),
            idleTimeout: Self.sessionIdleTimeout, clock: clock, events: authEvents)
        var router = Router()
        let ingest = self.ingest
        HealthRoutes(
            pool: database.pool, metrics: metrics, metricsArePublic: config.metricsPublic, sessions: sessions,
            spoolStatus: { ingest.spoolReadiness }
        ).register(on: &router)
        ingest.register(on: &router, sessions: sessions)
        ReportRoutes(pool: database.pool, sessions: sessions, clock: clock).register(on: &router)
        AuthRoutes(config: config, pool: database.pool, sessions: sessions, events: authEvents, clock: clock, log: log).register(
            on: &router)
        ApiRoutes(queries: EventQueries(pool: database.pool), sessions: sessions, clock: clock).register(on: &router)
        let staticFiles = StaticFiles(root: webRoot)
        router.get("/*", staticFiles.handle)
        var serverConfig = ServerConfig()
        serverConfig.bindAddress = config.bindAddress
        serverConfig.port = UInt16(config.port)
        let metrics = self.metrics
        let finalRouter = router
        server = HTTPServer(
            config: serverConfig,
            logger: ServerLogger(
                error: { line in console.err("http error: \(line)\n") },
                request: { log in
                    metrics.increment("spaceaudit_http_requests_total", labels: ["status": String(log.status)])
                    console.err("\(log.method) \(log.path) \(log.status)\n")
                }),
            handler: { request in try finalRouter.handle(request) })
    }

    /// A session unused this long ends even before its absolute lifetime (SPACEAUDIT_SESSION_HOURS).
    static let sessionIdleTimeout: TimeInterval = 60 * 60

    func start() throws { try server.start() }
    var port: Int { Int(server.port) }
    func stop() { server.stop() }
}
