import AuditHTTP
import AuditPostgres

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus).
struct HealthRoutes {
    let pool: ConnectionPool
    let metrics: Metrics
    /// When false, `/metrics` needs a session like the rest of the API (SPACEAUDIT_METRICS_PUBLIC).
    let metricsArePublic: Bool
    let sessions: SessionResolver
    /// The durability spool's state (Durability/), when the service runs one.
    var spoolStatus: (@Sendable () -> SpoolReadiness)? = nil

    private struct Degraded: Encodable {
        let status: String
        let database: String
        let spool: SpoolReadiness
    }

    func register(on router: inout Router) {
        router.get("/healthz") { _ in try .json(["status": "ok"]) }
        router.get("/readyz") { _ in
            let databaseUp = pool.ping()
            // With events in the spool the instance is "degraded": 200 while PostgreSQL answers
            // (the backlog is draining), 503 while it does not (ingest still spools).
            if let spool = spoolStatus?(), spool.pendingBatches > 0 || spool.full {
                return try .json(
                    Degraded(status: "degraded", database: databaseUp ? "ok" : "unreachable", spool: spool),
                    status: databaseUp && !spool.full ? 200 : 503)
            }
            if databaseUp {
                return try .json(["status": "ready", "database": "ok"])
            }
            return try .json(["status": "unavailable", "database": "unreachable"], status: 503)
        }
        router.get("/metrics") { request in
            if !metricsArePublic {
                _ = try sessions.viewer(for: request)  // 401 without a session
            }
            return Response.text(metrics.prometheusText()).withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
