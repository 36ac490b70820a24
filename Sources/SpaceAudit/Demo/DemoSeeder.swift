import AuditCore
import AuditPostgres
import Foundation

/// Loads the demo Spaces and their history into the database `spaceaudit demo` runs on.
/// Registering is an upsert; the history is written once (a second `demo` on the same data
/// directory keeps the first history, so its hash chains stay intact).
struct DemoSeeder {
    let pool: ConnectionPool
    let store: EventStore
    let now: Date
    /// Days of history to make.
    var days = 45

    struct Summary {
        let spaces: Int
        let eventsWritten: Int
    }

    func seed() throws -> Summary {
        var written = 0
        let generator = DemoEventGenerator(now: now, days: days)
        for space in DemoSpace.all {
            try register(space)
            guard try !hasHistory(space.id) else { continue }
            let events = generator.events(for: space)
            // Batches keep each transaction (and its chain-head lock) short.
            var start = 0
            while start < events.count {
                let batch = Array(events[start..<min(start + 250, events.count)])
                written += try store.append(batch, spaceID: space.id).filter(\.isNew).count
                start += batch.count
            }
        }
        return Summary(spaces: DemoSpace.all.count, eventsWritten: written)
    }

    private func register(_ space: DemoSpace) throws {
        let metadata = try SpaceMetadata(readme: space.readme)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        try pool.withConnection { connection in
            _ = try connection.execute(
                """
                INSERT INTO spaces (id, host, callbacks, metadata) VALUES (\(space.id), \(space.host), \(space.callbacks), \(json)::jsonb)
                ON CONFLICT (id) DO UPDATE SET host = excluded.host, callbacks = excluded.callbacks,
                    metadata = excluded.metadata, updated_at = now()
                """)
        }
    }

    private func hasHistory(_ id: SpaceID) throws -> Bool {
        try pool.withConnection { connection in
            try !connection.query("SELECT 1 FROM chain_heads WHERE space_id = \(id) AND seq > 0").isEmpty
        }
    }
}
