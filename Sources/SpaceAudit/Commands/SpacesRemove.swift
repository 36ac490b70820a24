import AuditPostgres

/// `spaceaudit spaces remove ID`: forgets the registration and its ingest tokens. The audit
/// events stay (the log is append-only) and so do the report rollups.
struct SpacesRemove: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        guard operands.count == 1 else {
            throw UsageError(operands.isEmpty ? "missing Space id (owner/name)" : "unexpected argument '\(operands[1])'")
        }
        let id = try SpacesAdd.spaceID(operands[0])
        guard try SpaceStore(pool: context.database().pool).remove(id: id) else {
            context.console.err("spaceaudit spaces remove: error: \(id) is not registered (see 'spaceaudit spaces list')\n")
            return .usage
        }
        context.console.out("removed \(id) (its audit events are kept)\n")
        return .ok
    }
}
