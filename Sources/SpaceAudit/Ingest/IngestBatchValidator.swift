import AuditCore
import AuditPostgres
import Foundation

/// One thing wrong with a batch. `index` is the event's position (nil for the envelope);
/// `message` never quotes the offending value back (it may be hostile or personal).
struct IngestProblem: Equatable, Sendable, Encodable {
    let index: Int?
    let field: String
    let message: String
}

/// Turns a parsed ingest body into events, all or nothing: every problem of every event is
/// collected, so a client fixes its batch in one round trip (product.md §5).
struct IngestBatchValidator {
    static let maxEvents = 1000
    /// How far ahead of the server clock `occurred_at` may be (clock skew allowance).
    static let futureTolerance: TimeInterval = 5 * 60
    /// Event kinds a Space may report; `export` and `retention` are SpaceAudit's own.
    static let ingestibleKinds: [LoginEvent.Kind] = [.loginStarted, .loginSucceeded, .loginFailed, .logout, .sessionExpired]

    static let requiredFields: Set<String> = ["event", "occurred_at", "idempotency_key"]
    static let optionalStringLimits: [String: Int] = [
        "reason": 256, "user_sub": 256, "username": 256, "redirect_uri": 2048, "client_id": 256,
        "client_ip": 64, "user_agent": 1024,
    ]
    static let listLimits: [String: (items: Int, length: Int)] = [
        "orgs": (100, 256), "scopes_requested": (100, 128), "scopes_granted": (100, 128),
    ]
    static let idempotencyKeyLimit = 128

    /// Events older than this are outside the retention window and refused.
    let oldestAccepted: Date
    let now: Date

    enum Outcome {
        case valid([NewEvent])
        case invalid([IngestProblem])
    }

    func validate(_ body: StrictJSON) -> Outcome {
        guard case .object(let members) = body else {
            return .invalid([IngestProblem(index: nil, field: "$", message: "the body must be a JSON object {\"events\": [...]}")])
        }
        var problems: [IngestProblem] = []
        for member in members where member.key != "events" {
            problems.append(IngestProblem(index: nil, field: Self.fieldName(member.key), message: "unknown field"))
        }
        guard let eventsValue = members.first(where: { $0.key == "events" })?.value else {
            return .invalid(problems + [IngestProblem(index: nil, field: "events", message: "required")])
        }
        guard case .array(let items) = eventsValue else {
            return .invalid(
                problems + [IngestProblem(index: nil, field: "events", message: "must be an array, not \(eventsValue.typeName)")])
        }
        guard (1...Self.maxEvents).contains(items.count) else {
            return .invalid(
                problems + [
                    IngestProblem(index: nil, field: "events", message: "must hold 1 to \(Self.maxEvents) events, not \(items.count)")
                ])
        }
        var events: [NewEvent] = []
        for (index, item) in items.enumerated() {
            var reader = EventReader(index: index, validator: self)
            if let event = reader.read(item) { events.append(event) }
            problems += reader.problems
        }
        return problems.isEmpty ? .valid(events) : .invalid(problems)
    }

    /// A field name safe to echo: unknown keys are attacker-chosen.
    static func fieldName(_ key: String) -> String {
        let safe = key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        return safe && key.count <= 64 ? key : "(unprintable key)"
    }
}

/// Reads one event object, recording problems instead of stopping at the first.
private struct EventReader {
    let index: Int
    let validator: IngestBatchValidator
    var problems: [IngestProblem] = []

    mutating func problem(_ field: String, _ message: String) {
        problems.append(IngestProblem(index: index, field: field, message: message))
    }

    mutating func read(_ item: StrictJSON) -> NewEvent? {
        guard case .object(let members) = item else {
            problem("$", "each event must be a JSON object, not \(item.typeName)")
            return nil
        }
        let fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let known = IngestBatchValidator.requiredFields.union(IngestBatchValidator.optionalStringLimits.keys)
            .union(IngestBatchValidator.listLimits.keys).union(["outcome"])
        for member in members where !known.contains(member.key) {
            problem(IngestBatchValidator.fieldName(member.key), "unknown field")
        }
        let kind = readKind(fields["event"])
        let occurredAt = readTime(fields["occurred_at"])
        let key = requiredText(fields["idempotency_key"], "idempotency_key", limit: IngestBatchValidator.idempotencyKeyLimit)
        let outcome = readOutcome(fields["outcome"], kind: kind)
        var strings: [String: String] = [:]
        for (name, limit) in IngestBatchValidator.optionalStringLimits {
            if let value = optionalText(fields[name], name, limit: limit) { strings[name] = value }
        }
        if let ip = strings["client_ip"], !IPAddressText.isValid(ip) { problem("client_ip", "must be an IPv4 or IPv6 address") }
        var lists: [String: [String]] = [:]
        for (name, limit) in IngestBatchValidator.listLimits {
            lists[name] = readList(fields[name], name, maxItems: limit.items, maxLength: limit.length)
        }
        guard problems.isEmpty, let kind, let occurredAt, let key else { return nil }
        return NewEvent(
            occurredAt: occurredAt, event: kind, outcome: outcome, reason: strings["reason"], userSub: strings["user_sub"],
            username: strings["username"], orgs: lists["orgs"] ?? [], scopesRequested: lists["scopes_requested"] ?? [],
            scopesGranted: lists["scopes_granted"] ?? [], redirectURI: strings["redirect_uri"], clientID: strings["client_id"],
            clientIP: strings["client_ip"], userAgent: strings["user_agent"], source: .ingest, idempotencyKey: key)
    }

    mutating func readKind(_ value: StrictJSON?) -> LoginEvent.Kind? {
        guard let text = requiredText(value, "event", limit: 64) else { return nil }
        guard let kind = LoginEvent.Kind(rawValue: text), IngestBatchValidator.ingestibleKinds.contains(kind) else {
            problem("event", "must be one of \(IngestBatchValidator.ingestibleKinds.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return kind
    }

    mutating func readTime(_ value: StrictJSON?) -> Date? {
        guard let text = requiredText(value, "occurred_at", limit: 64) else { return nil }
        guard let date = RFC3339.parse(text) else {
            problem("occurred_at", "must be an RFC 3339 timestamp with a time zone, e.g. 2026-05-01T12:00:00Z")
            return nil
        }
        if date > validator.now.addingTimeInterval(IngestBatchValidator.futureTolerance) {
            problem("occurred_at", "is more than 5 minutes in the future")
            return nil
        }
        if date < validator.oldestAccepted {
            problem("occurred_at", "is older than the retention window (\(RFC3339.format(validator.oldestAccepted)))")
            return nil
        }
        return date
    }

    mutating func readOutcome(_ value: StrictJSON?, kind: LoginEvent.Kind?) -> LoginEvent.Outcome? {
        guard let text = optionalText(value, "outcome", limit: 16) else { return nil }
        guard let outcome = LoginEvent.Outcome(rawValue: text) else {
            problem("outcome", "must be success or failure")
            return nil
        }
        if (kind == .loginSucceeded && outcome == .failure) || (kind == .loginFailed && outcome == .success) {
            problem("outcome", "contradicts the event type")
        }
        return outcome
    }

    mutating func requiredText(_ value: StrictJSON?, _ field: String, limit: Int) -> String? {
        guard let value, value != .null else {
            problem(field, "required")
            return nil
        }
        guard let text = optionalText(value, field, limit: limit) else { return nil }
        return text
    }

    /// A string field: nil when absent or null; a problem when of another type, empty, too
    /// long or holding a control character (NUL, CR, LF, TAB…: they break logs and CSV
    /// readers, and PostgreSQL text cannot hold NUL).
    mutating func optionalText(_ value: StrictJSON?, _ field: String, limit: Int) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            problem(field, "must be a string, not \(value.typeName)")
            return nil
        }
        return checkedText(text, field, limit: limit)
    }

    mutating func checkedText(_ text: String, _ field: String, limit: Int) -> String? {
        if text.isEmpty {
            problem(field, "must not be empty")
            return nil
        }
        if text.unicodeScalars.count > limit {
            problem(field, "is longer than \(limit) characters")
            return nil
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            problem(field, "contains a control character (NUL, CR, LF, TAB or similar)")
            return nil
        }
        return text
    }

    mutating func readList(_ value: StrictJSON?, _ field: String, maxItems: Int, maxLength: Int) -> [String] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else {
            problem(field, "must be an array of strings, not \(value.typeName)")
            return []
        }
        if items.count > maxItems {
            problem(field, "has more than \(maxItems) items")
            return []
        }
        var result: [String] = []
        for (position, item) in items.enumerated() {
            let name = "\(field)[\(position)]"
            guard case .string(let text) = item else {
                problem(name, "must be a string, not \(item.typeName)")
                continue
            }
            guard let checked = checkedText(text, name, limit: maxLength) else { continue }
            // Lists are space-joined in the audit CSV, so an item must not contain a space.
            if checked.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                problem(name, "must not contain whitespace")
                continue
            }
            result.append(checked)
        }
        return result
    }
}
