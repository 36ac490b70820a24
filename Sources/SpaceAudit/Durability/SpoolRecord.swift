import AuditCore
import AuditPostgres
import Foundation

/// One batch as it sits in the spool: the Space and its events, exactly as they will be
/// appended. Times are kept as integer microseconds so a replayed event hashes and compares
/// (idempotency payload digest) exactly like the original.
struct SpoolRecord: Codable, Equatable, Sendable {
    var space: String
    var events: [SpooledEvent]

    init(spaceID: SpaceID, events: [NewEvent]) {
        space = spaceID.description
        self.events = events.map(SpooledEvent.init)
    }

    func newEvents() throws -> (SpaceID, [NewEvent]) {
        guard let spaceID = SpaceID(space) else { throw SpoolCorruption("a spooled batch names an invalid Space") }
        return (spaceID, try events.map { try $0.newEvent() })
    }
}

struct SpooledEvent: Codable, Equatable, Sendable {
    var occurredAtMicros: Int64
    var event: String
    var outcome: String?
    var reason: String?
    var userSub: String?
    var username: String?
    var orgs: [String]
    var scopesRequested: [String]
    var scopesGranted: [String]
    var redirectURI: String?
    var clientID: String?
    var clientIP: String?
    var userAgent: String?
    var source: String
    var idempotencyKey: String?

    init(_ e: NewEvent) {
        occurredAtMicros = RFC3339.micros(e.occurredAt)
        event = e.event.rawValue
        outcome = e.outcome?.rawValue
        reason = e.reason
        userSub = e.userSub
        username = e.username
        orgs = e.orgs
        scopesRequested = e.scopesRequested
        scopesGranted = e.scopesGranted
        redirectURI = e.redirectURI
        clientID = e.clientID
        clientIP = e.clientIP
        userAgent = e.userAgent
        source = e.source.rawValue
        idempotencyKey = e.idempotencyKey
    }

    func newEvent() throws -> NewEvent {
        guard let kind = LoginEvent.Kind(rawValue: event), let source = LoginEvent.Source(rawValue: source) else {
            throw SpoolCorruption("a spooled event has an unknown type or source")
        }
        return NewEvent(
            occurredAt: RFC3339.date(micros: occurredAtMicros), event: kind, outcome: outcome.flatMap(LoginEvent.Outcome.init(rawValue:)),
            reason: reason, userSub: userSub, username: username, orgs: orgs, scopesRequested: scopesRequested,
            scopesGranted: scopesGranted, redirectURI: redirectURI, clientID: clientID, clientIP: clientIP,
            userAgent: userAgent, source: source, idempotencyKey: idempotencyKey)
    }
}

/// The spool's files do not have the expected form; `description` is safe to log.
struct SpoolCorruption: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
