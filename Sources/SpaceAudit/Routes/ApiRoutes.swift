import AuditCore
import AuditHTTP
import AuditPostgres
import Foundation

/// The dashboard's read API (product.md §9):
///
/// - `GET /api/v1/spaces` — the Spaces the viewer may see, with overview numbers;
/// - `GET /api/v1/spaces/{owner}/{name}` — one Space: registration and activity;
/// - `GET /api/v1/spaces/{owner}/{name}/events` — its event log, filtered, keyset-paged.
///
/// Every route needs a session (401 otherwise). A Space the viewer may not see answers the
/// same 404 as a Space that does not exist, so the API never confirms that a Space exists.
/// The session is checked before any parameter, so an anonymous caller learns nothing either.
struct ApiRoutes {
    let queries: EventQueries
    let sessions: SessionResolver
    let clock: @Sendable () -> Date

    static let defaultDays = 30
    static let maximumDays = 366
    static let defaultPageSize = 100

    func register(on router: inout Router) {
        router.get("/api/v1/spaces") { request in try listSpaces(request) }
        router.get("/api/v1/spaces/:owner/:name") { request in try showSpace(request) }
        router.get("/api/v1/spaces/:owner/:name/events") { request in try listEvents(request) }
    }

    func listSpaces(_ request: Request) throws -> Response {
        let viewer = try sessions.viewer(for: request)
        let now = clock()
        let days = try ApiQuery(request: request, now: now).integer("days", default: Self.defaultDays, range: 1...Self.maximumDays)
        let visible = try queries.knownSpaceIDs().filter { viewer.canSee(spaceID: $0.description) }
        let activities = try queries.activity(of: visible, now: now, days: days)
        let spaces = try activities.map { activity in
            ApiSpaceJSON(activity: activity, registration: try queries.registration(of: activity.spaceID))
        }
        return try .json(ApiSpaceListJSON(generated_at: RFC3339.format(now), days: days, spaces: spaces))
    }

    func showSpace(_ request: Request) throws -> Response {
        let viewer = try sessions.viewer(for: request)
        let spaceID = try visibleSpace(request, viewer: viewer)
        let now = clock()
        let days = try ApiQuery(request: request, now: now).integer("days", default: Self.defaultDays, range: 1...Self.maximumDays)
        guard let activity = try queries.activity(of: [spaceID], now: now, days: days).first else { throw Self.noSuchSpace }
        let space = ApiSpaceJSON(activity: activity, registration: try queries.registration(of: spaceID))
        return try .json(ApiSpaceDetailJSON(generated_at: RFC3339.format(now), days: days, space: space))
    }

    func listEvents(_ request: Request) throws -> Response {
        let viewer = try sessions.viewer(for: request)
        let spaceID = try visibleSpace(request, viewer: viewer)
        let query = ApiQuery(request: request, now: clock())
        let limit = try query.integer("limit", default: Self.defaultPageSize, range: 1...EventQueries.maximumPageSize)
        let filter = try query.eventFilter()
        let cursor = try query.cursor()
        let page = try queries.page(spaceID: spaceID, filter: filter, limit: limit, after: cursor)
        return try .json(
            ApiEventPageJSON(events: page.events.map(ApiEventJSON.init), limit: limit, next_cursor: page.nextCursor?.token))
    }

    /// The Space named by the path, if it exists and the viewer may see it; the same 404 otherwise.
    private func visibleSpace(_ request: Request, viewer: Viewer) throws -> SpaceID {
        guard let owner = request.pathParameters["owner"], let name = request.pathParameters["name"],
            let spaceID = SpaceID("\(owner)/\(name)"), viewer.canSee(spaceID: spaceID.description),
            try queries.isKnown(spaceID)
        else { throw Self.noSuchSpace }
        return spaceID
    }

    static let noSuchSpace = HTTPError.notFound("No such Space, or you may not see it.")
}
