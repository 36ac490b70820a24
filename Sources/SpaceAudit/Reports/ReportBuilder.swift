import AuditCore
import AuditPostgres
import Foundation

/// Builds the `Report` for the CLI and for GET /api/v1/report alike: resolves which Spaces
/// are asked for (and visible), reads the rollups, runs the rules.
struct ReportBuilder: Sendable {
    let pool: ConnectionPool

    /// `requested` empty means every known Space the viewer may see. A requested Space that is
    /// unknown or not visible is an input error with the same message either way, so the API
    /// does not reveal which Spaces exist.
    func build(requested: [String], window: ReportWindow, now: Date, canSee: (SpaceID) -> Bool = { _ in true }) throws -> Report {
        let store = ReportStore(pool: pool)
        let known = Set(try store.knownSpaceIDs().filter(canSee))
        var spaces: [SpaceID] = []
        for text in requested {
            guard let id = SpaceID(text) else {
                throw ReportInputError("invalid Space id '\(text)': expected owner/name")
            }
            guard known.contains(id) else {
                throw ReportInputError("unknown Space '\(id)': not registered and no events recorded")
            }
            if !spaces.contains(id) { spaces.append(id) }
        }
        if requested.isEmpty { spaces = known.sorted() }
        let rows = try store.rows(spaces: spaces, since: window.since, until: window.until)
        let findings = try store.contexts(spaces: spaces, since: window.since, until: window.until).flatMap(Rules.evaluate)
        // With no Space at all the rows are empty too, so Report's "empty list = every Space
        // in the rows" fallback yields an empty report, as it should.
        return Report(generatedAt: now, since: window.since, until: window.until, spaces: spaces, rows: rows, findings: findings)
    }
}
