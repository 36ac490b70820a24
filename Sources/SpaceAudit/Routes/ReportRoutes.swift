import AuditCore
import AuditHTTP
import AuditPostgres
import Foundation

/// `GET /api/v1/report?space=owner/name&space=…&since=30d&until=…`: the `report --format json`
/// document (docs/report-format.md) for the Spaces the signed-in viewer may see.
/// 401 without a session; 400 for a bad window or Space id; 404 for a Space that does not
/// exist or is not visible (the same answer, so the API does not reveal other orgs' Spaces).
struct ReportRoutes {
    let pool: ConnectionPool
    let sessions: SessionResolver
    let clock: @Sendable () -> Date

    func register(on router: inout Router) {
        router.get("/api/v1/report") { request in try report(request) }
    }

    func report(_ request: Request) throws -> Response {
        let viewer = try sessions.viewer(for: request)
        if let unknown = request.queryParameters.keys.first(where: { !["space", "since", "until"].contains($0) }) {
            throw HTTPError(status: 400, code: "invalid_parameter", message: "unknown query parameter '\(unknown)' (space, since, until)")
        }
        let now = clock()
        let window: ReportWindow
        do {
            window = try ReportWindow.parse(since: request.query("since"), until: request.query("until"), now: now)
        } catch {
            throw HTTPError(status: 400, code: "invalid_parameter", message: error.description)
        }
        let requested = request.queryParameters["space"] ?? []
        if let bad = requested.first(where: { SpaceID($0) == nil }) {
            throw HTTPError(status: 400, code: "invalid_parameter", message: "invalid Space id '\(bad)': expected owner/name")
        }
        let report: Report
        do {
            report = try ReportBuilder(pool: pool).build(
                requested: requested, window: window, now: now, canSee: { viewer.canSee(spaceID: $0.description) })
        } catch let error as ReportInputError {
            throw HTTPError(status: 404, code: "not_found", message: error.description)
        }
        return Response(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")]),
            body: .bytes(Array(JSONReportRenderer().render(report).utf8)))
    }
}
