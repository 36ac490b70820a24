import AuditCore

/// One page of an event log, newest first, and where the next one starts (nil on the last page).
public struct EventPage: Sendable, Equatable {
    public let events: [LoginEvent]
    public let nextCursor: EventCursor?
}
