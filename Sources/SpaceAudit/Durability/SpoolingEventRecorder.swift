import AuditCore
import AuditPostgres
import Dispatch
import Foundation

/// The event recorder of `serve`: writes to PostgreSQL when it answers, otherwise to the
/// local spool (fsynced before the caller is answered), and replays the spool in order on a
/// thread of its own when PostgreSQL is back.
///
/// Order: while anything is spooled, new batches are spooled too, behind it, so a later batch
/// never overtakes an earlier one. Exactly once: every event carries an idempotency key
/// (ingest requires one; the service's own events get `svc:<uuid>` here, before the first
/// attempt), so a batch replayed twice — after a crash between commit and bookkeeping, or one
/// whose direct write committed but whose answer was lost — is stored once.
///
/// A batch PostgreSQL refuses for good at replay (e.g. an idempotency conflict) goes to
/// `spool.rejected` in the spool folder and is counted, rather than blocking the queue.
final class SpoolingEventRecorder: EventRecorder, IngestSink, @unchecked Sendable {  // `spool` is thread-safe; the rest is immutable
    private let store: EventStore
    private let spool: EventSpool
    private let metrics: Metrics
    private let log: @Sendable (String) -> Void
    private let wake = DispatchSemaphore(value: 0)
    private let retryInterval: TimeInterval

    init(store: EventStore, spool: EventSpool, metrics: Metrics, retryInterval: TimeInterval = 1, log: @escaping @Sendable (String) -> Void)
    {
        self.store = store
        self.spool = spool
        self.metrics = metrics
        self.retryInterval = retryInterval
        self.log = log
        metrics.gauge("spaceaudit_spool_pending_batches", help: "Batches in the local spool waiting for PostgreSQL") { [spool] in
            spool.status.records
        }
        metrics.gauge("spaceaudit_spool_pending_bytes", help: "Bytes in the local spool waiting for PostgreSQL") { [spool] in
            spool.status.bytes
        }
        let thread = Thread { [weak self] in self?.replayForever() }
        thread.name = "spaceaudit-spool-replay"
        thread.start()
    }

    var isDegraded: Bool { !spool.isEmpty }
    var status: (records: Int, bytes: Int) { spool.status }

    // MARK: EventRecorder (the service's own sign-in events)

    /// Returns the stored events, or [] when they were spooled (durable, ids assigned on
    /// replay). Throws when neither worked (spool full, disk error): sign-in must fail closed.
    func record(_ events: [NewEvent], spaceID: SpaceID) throws -> [StoredEvent] {
        let keyed = events.map { event -> NewEvent in
            var event = event
            if event.idempotencyKey == nil { event.idempotencyKey = "svc:" + UUID().uuidString.lowercased() }
            return event
        }
        switch try accept(keyed, spaceID: spaceID) {
        case .stored(let stored): return stored
        case .spooled: return []
        }
    }

    // MARK: IngestSink

    func accept(_ events: [NewEvent], spaceID: SpaceID) throws -> IngestReceipt {
        if spool.isEmpty {
            do {
                return .stored(try store.append(events, spaceID: spaceID))
            } catch let error as PostgresError where error.isConnectionFailure {
                log("spool: PostgreSQL unreachable (\(SpaceAuditCLI.safeDescription(of: error))); spooling")
            }
        }
        try spool.append(try JSONEncoder().encode(SpoolRecord(spaceID: spaceID, events: events)).map { $0 })
        metrics.increment("spaceaudit_spool_batches_total", labels: ["step": "spooled"])
        wake.signal()
        return .spooled(count: events.count)
    }

    // MARK: Replay

    private func replayForever() {
        while true {
            _ = wake.wait(timeout: .now() + retryInterval)
            replayPending()
        }
    }

    /// Replays until the spool is empty or PostgreSQL fails again.
    func replayPending() {
        while true {
            let next: (payload: [UInt8], end: Int)?
            do {
                next = try spool.next()
            } catch {
                log("spool: \(error); replay stopped")
                return
            }
            guard let (payload, end) = next else { return }
            do {
                let record = try JSONDecoder().decode(SpoolRecord.self, from: Data(payload))
                let (spaceID, events) = try record.newEvents()
                _ = try store.append(events, spaceID: spaceID)
                metrics.increment("spaceaudit_spool_batches_total", labels: ["step": "replayed"])
            } catch  where Self.isPermanent(error) {
                reject(payload, because: error)
            } catch {
                // Unreachable, restarting, or something unexpected: never drop an acknowledged
                // batch for that; try again on the next tick.
                if !((error as? PostgresError)?.isConnectionFailure ?? false) {
                    log("spool: replay failed, will retry: \(SpaceAuditCLI.safeDescription(of: error))")
                }
                return
            }
            do {
                try spool.markReplayed(upTo: end)
            } catch {
                log("spool: cannot record replay progress: \(error)")
                return
            }
        }
    }

    /// Errors that retrying cannot fix: the batch itself is refused.
    static func isPermanent(_ error: Error) -> Bool {
        if error is EventStoreError || error is SpoolCorruption || error is DecodingError { return true }
        guard let sqlState = (error as? PostgresError)?.sqlState else { return false }
        return sqlState.hasPrefix("22") || sqlState.hasPrefix("23")  // data exception, integrity violation
    }

    private func reject(_ payload: [UInt8], because error: Error) {
        metrics.increment("spaceaudit_spool_batches_total", labels: ["step": "rejected"])
        log("spool: a spooled batch was refused by PostgreSQL and moved to spool.rejected: \(SpaceAuditCLI.safeDescription(of: error))")
        let path = spool.directory + "/spool.rejected"
        if let file = try? SpoolFile(path: path) {
            try? file.appendAndSync(payload + [0x0A])
        }
    }
}
