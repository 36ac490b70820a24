import AuditCore
import AuditHTTP
import AuditPostgres
import Foundation

/// `GET /api/v1/events.csv?space=&since=&until=&event=&user=&format=csv|ndjson`: the dashboard's
/// "Export CSV" (product.md §8), the same rows and encoder as `spaceaudit export`. Needs a
/// session; a viewer who is not a global admin gets only the Spaces of their orgs, and naming
/// a Space they cannot see is a 404 (as if it did not exist).
struct IngestExportRoutes {
    let exporter: AuditExporter
    let sessions: SessionResolver
    let clock: @Sendable () -> Date
    let log: @Sendable (String) -> Void

    func register(on router: inout Router) {
        router.get("/api/v1/events.csv") { request in try handle(request) }
    }

    func handle(_ request: Request) throws -> Response {
        let viewer = try sessions.viewer(for: request)
        let format = AuditExporter.Format(rawValue: request.query("format") ?? "csv")
        guard let format else { throw HTTPError.badRequest("format must be csv or ndjson.") }
        var filter: EventFilter
        do {
            filter = try ExportFilterParser(now: clock()).parse(
                spaces: request.queryParameters["space"] ?? [], since: request.query("since"), until: request.query("until"),
                events: request.queryParameters["event"] ?? [], users: request.queryParameters["user"] ?? [])
        } catch {
            throw HTTPError.badRequest(error.description.replacingOccurrences(of: "--", with: ""))
        }
        if !viewer.isAdminAll {
            if filter.spaceIDs.contains(where: { !viewer.canSee(spaceID: $0) }) {
                throw HTTPError.notFound("No such Space.")
            }
            filter.owners = viewer.visibleOrgs
        }
        let requester = AuditExporter.Requester(
            sub: viewer.sub, username: viewer.username, clientIP: request.remoteAddress.isEmpty ? nil : request.remoteAddress,
            userAgent: request.header("User-Agent").map { String($0.prefix(1024)) })
        let channel = ChunkChannel()
        let finalFilter = filter
        let exporter = self.exporter
        let clock = self.clock
        let log = self.log
        let producer = Thread {
            do {
                let result = try exporter.run(finalFilter, format: format, write: { try channel.put($0) })
                try exporter.record(result, filter: finalFilter, format: format, by: requester, at: clock())
                channel.finish()
            } catch is ChunkChannel.ChannelClosed {
                channel.finish()  // the client went away; nothing to record
            } catch {
                log("export failed: \(SpaceAuditCLI.safeDescription(of: error))")
                channel.finish(failure: error)
            }
        }
        producer.name = "spaceaudit-export"
        producer.start()
        let consumer = ChannelConsumer(channel)
        let stamp = RFC3339.format(clock()).prefix(10)
        let contentType = format == .csv ? "text/csv; charset=utf-8; header=present" : "application/x-ndjson; charset=utf-8"
        return Response.stream(BodyStream { try consumer.channel.take() }, contentType: contentType)
            .withHeader("Content-Disposition", "attachment; filename=\"spaceaudit-events-\(stamp).\(format == .csv ? "csv" : "ndjson")\"")
            .withHeader("Cache-Control", "no-store")
    }
}
