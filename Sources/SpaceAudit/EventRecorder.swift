import AuditCore
import AuditPostgres

/// Where the service's own sign-in events and ingested events go. The route code records
/// through this seam so that durability (the local spool while PostgreSQL is away) is decided
/// in one place.
protocol EventRecorder: Sendable {
    /// Stores the batch or fails; a returned result means the events are durable.
    func record(_ events: [NewEvent], spaceID: SpaceID) throws -> [StoredEvent]
}

/// Writes straight to PostgreSQL: an error means nothing was stored.
struct DirectEventRecorder: EventRecorder {
    let store: EventStore

    func record(_ events: [NewEvent], spaceID: SpaceID) throws -> [StoredEvent] {
        try store.append(events, spaceID: spaceID)
    }
}
