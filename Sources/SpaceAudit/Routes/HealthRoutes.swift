import AuditHTTP
import AuditPostgres

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus).
struct HealthRoutes {
    let pool: ConnectionPool
    let metrics: Metrics
    /// When false, `/metrics` needs a session like the rest of the API (SPACEAUDIT_METRICS_PUBLIC).
    let metricsArePublic: Bool

    func register(on router: inout Router) {
        router.get("/healthz") { _ in try .json(["status": "ok"]) }
        router.get("/readyz") { _ in
            if pool.ping() {
                return try .json(["status": "ready", "database": "ok"])
            }
            return try .json(["status": "unavailable", "database": "unreachable"], status: 503)
        }
        router.get("/metrics") { _ in
            guard metricsArePublic else {
                throw HTTPError(status: 404, code: "not_found", message: "metrics are not public on this instance")
            }
            return Response.text(metrics.prometheusText()).withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
