import AuditCore
import Foundation

/// A Space as registered with `spaces add` / `spaces import`.
public struct RegisteredSpace: Sendable, Equatable {
    public var id: SpaceID
    public var host: String
    public var callbacks: [String]
    /// Nil when the Space was never given a README (stored as `{}`).
    public var metadata: SpaceMetadata?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One dated change of a Space's registration (`space_metadata_history`).
public struct SpaceHistoryEntry: Sendable, Equatable {
    public enum Change: String, Sendable { case added, updated, removed }
    public var change: Change
    public var host: String?
    public var callbacks: [String]?
    public var metadata: SpaceMetadata?
    public var recordedAt: Date
}

/// The Space registry: the `spaces` table plus its dated history.
public struct SpaceStore: Sendable {
    public enum SaveResult: String, Sendable, Equatable {
        case added, updated, unchanged
    }

    private let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Registers or updates a Space in one transaction, adding a history row when anything that
    /// matters changed. README line numbers (`key_lines`) are refreshed but do not count as a
    /// change: moving a key down the file changes nothing about how the Space signs in.
    @discardableResult
    public func save(id: SpaceID, host: String, callbacks: [String], metadata: SpaceMetadata?) throws -> SaveResult {
        let json = try Self.encode(metadata)
        return try pool.withConnection { connection in
            try connection.transaction { tx in
                let existing = try tx.query(
                    """
                    SELECT host, callbacks, (metadata - 'key_lines') = (\(json)::jsonb - 'key_lines') AS same_metadata
                      FROM spaces WHERE id = \(id) FOR UPDATE
                    """
                ).first
                let result: SaveResult
                if let existing {
                    let same =
                        try existing.string("host") == host && existing.stringArray("callbacks") == callbacks
                        && existing.bool("same_metadata")
                    result = same ? .unchanged : .updated
                    try tx.execute(
                        """
                        UPDATE spaces SET host = \(host), callbacks = \(callbacks), metadata = \(json)::jsonb,
                               updated_at = CASE WHEN \(result == .updated) THEN now() ELSE updated_at END
                         WHERE id = \(id)
                        """)
                } else {
                    result = .added
                    try tx.execute(
                        "INSERT INTO spaces (id, host, callbacks, metadata) VALUES (\(id), \(host), \(callbacks), \(json)::jsonb)")
                }
                if result != .unchanged {
                    try tx.execute(
                        """
                        INSERT INTO space_metadata_history (space_id, change, host, callbacks, metadata)
                        VALUES (\(id), \(result.rawValue), \(host), \(callbacks), \(json)::jsonb)
                        """)
                }
                return result
            }
        }
    }

    /// Forgets a Space (its ingest tokens go with it; its audit events and rollups stay).
    /// Returns false when it was not registered.
    public func remove(id: SpaceID) throws -> Bool {
        try pool.withConnection { connection in
            try connection.transaction { tx in
                guard try tx.execute("DELETE FROM spaces WHERE id = \(id)") == 1 else { return false }
                try tx.execute("INSERT INTO space_metadata_history (space_id, change) VALUES (\(id), 'removed')")
                return true
            }
        }
    }

    /// Every registered Space, by id.
    public func list() throws -> [RegisteredSpace] {
        let rows = try pool.withConnection { connection in
            try connection.query("SELECT id, host, callbacks, metadata::text AS metadata, created_at, updated_at FROM spaces")
        }
        return try rows.map(Self.space).sorted { $0.id < $1.id }
    }

    public func get(_ id: SpaceID) throws -> RegisteredSpace? {
        let rows = try pool.withConnection { connection in
            try connection.query(
                "SELECT id, host, callbacks, metadata::text AS metadata, created_at, updated_at FROM spaces WHERE id = \(id)")
        }
        return try rows.first.map(Self.space)
    }

    /// The Space's registration changes, oldest first.
    public func history(_ id: SpaceID) throws -> [SpaceHistoryEntry] {
        let rows = try pool.withConnection { connection in
            try connection.query(
                """
                SELECT change, host, callbacks, metadata::text AS metadata, recorded_at FROM space_metadata_history
                 WHERE space_id = \(id) ORDER BY recorded_at, id
                """)
        }
        return try rows.map { row in
            SpaceHistoryEntry(
                change: SpaceHistoryEntry.Change(rawValue: try row.string("change")) ?? .updated,
                host: try row.optionalString("host"), callbacks: try row.optionalStringArray("callbacks"),
                metadata: try row.optionalString("metadata").flatMap(Self.decode), recordedAt: try row.date("recorded_at"))
        }
    }

    // MARK: jsonb

    static func encode(_ metadata: SpaceMetadata?) throws -> String {
        guard let metadata else { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(metadata), as: UTF8.self)
    }

    /// `{}` (no README registered) and anything unreadable give nil: rules then stay silent.
    static func decode(_ json: String) -> SpaceMetadata? {
        try? JSONDecoder().decode(SpaceMetadata.self, from: Data(json.utf8))
    }

    private static func space(_ row: Row) throws -> RegisteredSpace {
        let text = try row.string("id")
        guard let id = SpaceID(text) else {
            throw PostgresError(.decoding, "spaces.id holds an invalid Space id")
        }
        return RegisteredSpace(
            id: id, host: try row.string("host"), callbacks: try row.stringArray("callbacks"),
            metadata: decode(try row.string("metadata")), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}
