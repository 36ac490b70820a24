import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// `POST /api/v1/spaces/{owner}/{name}/events` (product.md §5): token → rate limit → media
/// type → strict JSON under a size cap → all-or-nothing validation → store or spool.
/// Checks run in that order so that a caller without a valid token learns nothing else.
struct IngestRoutes {
    static let maxBodyBytes = 1024 * 1024

    let tokens: IngestTokenAuthenticator
    let sink: any IngestSink
    let limiter: IngestRateLimiter
    let settings: IngestSettings
    let metrics: Metrics
    let clock: @Sendable () -> Date

    func register(on router: inout Router) {
        router.post("/api/v1/spaces/:owner/:name/events", maxBodyBytes: Self.maxBodyBytes) { request in
            try handle(request)
        }
    }

    func handle(_ request: Request) throws -> Response {
        let owner = request.pathParameters["owner"] ?? ""
        let name = request.pathParameters["name"] ?? ""
        guard let spaceID = SpaceID("\(owner)/\(name)") else {
            throw HTTPError.notFound("No Space has this id; Space ids are owner/name.")
        }
        let token = try tokens.authenticate(request.header("Authorization"), spaceID: spaceID, degraded: sink.isDegraded)
        if let wait = limiter.acquire(tokenID: token.id) {
            metrics.increment("spaceaudit_ingest_rejected_total", labels: ["status": "429"])
            throw HTTPError(
                status: 429, code: "rate_limited", message: "Too many requests for this token; retry after \(wait) s.",
                headers: HTTPHeaders([("Retry-After", String(wait))]))
        }
        try Self.requireJSON(request.header("Content-Type"))
        let body: StrictJSON
        do {
            body = try StrictJSONParser(maxBytes: Self.maxBodyBytes).parse(request.body)
        } catch {
            throw HTTPError(status: 400, code: "invalid_json", message: error.message)
        }
        let now = clock()
        let validator = IngestBatchValidator(oldestAccepted: settings.oldestAccepted(now: now), now: now)
        let events: [NewEvent]
        switch validator.validate(body) {
        case .valid(let valid): events = valid
        case .invalid(let problems):
            metrics.increment("spaceaudit_ingest_rejected_total", labels: ["status": "422"])
            return try .json(InvalidBatch(problems: problems), status: 422)
        }
        return try store(events, spaceID: spaceID)
    }

    private func store(_ events: [NewEvent], spaceID: SpaceID) throws -> Response {
        let receipt: IngestReceipt
        do {
            receipt = try sink.accept(events, spaceID: spaceID)
        } catch is SpoolFullError {
            metrics.increment("spaceaudit_ingest_rejected_total", labels: ["status": "503"])
            throw HTTPError(
                status: 503, code: "spool_full",
                message: "PostgreSQL is unreachable and the local spool is full; nothing was stored. Retry later.",
                headers: HTTPHeaders([("Retry-After", "30")]))
        } catch let error as EventStoreError where error.description.contains("already used for a different event") {
            throw HTTPError(
                status: 409, code: "idempotency_conflict",
                message: "An idempotency key of this batch was already used for a different event; nothing was stored.")
        } catch let error as PostgresError where error.isRetryable {
            throw HTTPError(
                status: 503, code: "unavailable", message: "The audit log is unavailable; nothing was stored. Retry later.",
                headers: HTTPHeaders([("Retry-After", "5")]))
        }
        switch receipt {
        case .stored(let stored):
            metrics.increment("spaceaudit_ingest_events_total", labels: ["result": "stored"], by: stored.filter(\.isNew).count)
            return try .json(
                Accepted(
                    accepted: stored.count, duplicates: stored.filter { !$0.isNew }.count, eventIDs: stored.map(\.eventID), spooled: false),
                status: 202)
        case .spooled(let count):
            metrics.increment("spaceaudit_ingest_events_total", labels: ["result": "spooled"], by: count)
            return try .json(Accepted(accepted: count, duplicates: nil, eventIDs: nil, spooled: true), status: 202)
        }
    }

    /// 415 unless the body is declared as JSON (`application/json`, UTF-8 if a charset is given).
    static func requireJSON(_ contentType: String?) throws {
        let parts = (contentType ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let charsetOK = parts.dropFirst().allSatisfy { !$0.hasPrefix("charset=") || $0 == "charset=utf-8" || $0 == "charset=\"utf-8\"" }
        guard parts.first == "application/json", charsetOK else {
            throw HTTPError(
                status: 415, code: "unsupported_media_type", message: "Send the batch as Content-Type: application/json (UTF-8).")
        }
    }

    struct Accepted: Encodable {
        let accepted: Int
        let duplicates: Int?
        let eventIDs: [String]?
        let spooled: Bool

        enum CodingKeys: String, CodingKey {
            case accepted, duplicates, spooled
            case eventIDs = "event_ids"
        }
    }

    /// The 422 body: the usual error object plus every problem found.
    struct InvalidBatch: Encodable {
        let error: Detail

        init(problems: [IngestProblem]) {
            error = Detail(
                code: "invalid_events",
                message: "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the batch; nothing was stored.",
                problems: problems)
        }

        struct Detail: Encodable {
            let code: String
            let message: String
            let problems: [IngestProblem]
        }
    }
}
