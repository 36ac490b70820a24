import AuditCore
import AuditPostgres
import Foundation

/// `spaceaudit spaces list [--json]`: the registered Spaces, by id.
struct SpacesList: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        if let extra = operands.first { throw UsageError("unexpected argument '\(extra)'") }
        let spaces = try SpaceStore(pool: context.database().pool).list()
        if arguments.has("json") {
            context.console.out(try Self.json(spaces))
            return .ok
        }
        if spaces.isEmpty {
            context.console.out("No Spaces registered. Add one with: spaceaudit spaces add owner/name --readme README.md\n")
            return .ok
        }
        let rows = spaces.map { s in
            [
                s.id.description, s.host, s.metadata.map { $0.hfOAuth ? "true" : "false" } ?? "-",
                s.metadata.map { $0.scopes.joined(separator: " ") } ?? "-", "\(s.callbacks.count)", RFC3339.format(s.updatedAt),
            ]
        }
        context.console.out(
            TextTable(headers: ["SPACE", "HOST", "HF_OAUTH", "SCOPES", "CALLBACKS", "UPDATED"], rows: rows, numeric: [4]).render())
        return .ok
    }

    /// Stable machine-readable form: an array of objects with sorted keys.
    static func json(_ spaces: [RegisteredSpace]) throws -> String {
        struct Entry: Encodable {
            let space: String
            let host: String
            let callbacks: [String]
            let metadata: SpaceMetadata?
            let created_at: String
            let updated_at: String
        }
        let entries = spaces.map {
            Entry(
                space: $0.id.description, host: $0.host, callbacks: $0.callbacks, metadata: $0.metadata,
                created_at: RFC3339.format($0.createdAt), updated_at: RFC3339.format($0.updatedAt))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n"
    }
}
