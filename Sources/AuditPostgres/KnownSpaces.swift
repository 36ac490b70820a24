import AuditCore

/// Every Space SpaceAudit knows: registered with `spaces add`, or with recorded events
/// (a Space may ingest before it is registered, and the service records under its own id).
enum KnownSpaces {
    static func all(_ pool: ConnectionPool) throws -> [SpaceID] {
        let rows = try pool.withConnection { connection in
            try connection.query("SELECT id FROM spaces UNION SELECT space_id FROM chain_heads")
        }
        return try rows.compactMap { SpaceID(try $0.string("id")) }.sorted()
    }
}
