import AuditCore
import AuditPostgres

/// Where a validated ingest batch goes. Unlike `EventRecorder` it says whether the batch is
/// already in PostgreSQL (with ids) or safe in the local spool waiting for it.
protocol IngestSink: Sendable {
    func accept(_ events: [NewEvent], spaceID: SpaceID) throws -> IngestReceipt
    /// True while events are being spooled (PostgreSQL unreachable or the spool not yet
    /// drained): token checks then trust recently verified tokens instead of waiting on it.
    var isDegraded: Bool { get }
}

/// What a client is told on 202.
enum IngestReceipt: Sendable, Equatable {
    /// Stored now: per event its id, and whether it was new (false: repeated idempotency key).
    case stored([StoredEvent])
    /// Durable in the spool (fsynced); written to PostgreSQL in order when it is back.
    case spooled(count: Int)
}

/// The batch is durable nowhere, because the spool is over its size limit (503).
struct SpoolFullError: Error, CustomStringConvertible {
    var description: String { "the durability spool is full while PostgreSQL is unreachable" }
}

/// Writes straight to PostgreSQL (no spool): used where no spool is configured.
struct DirectIngestSink: IngestSink {
    let store: EventStore
    var isDegraded: Bool { false }

    func accept(_ events: [NewEvent], spaceID: SpaceID) throws -> IngestReceipt {
        .stored(try store.append(events, spaceID: spaceID))
    }
}
