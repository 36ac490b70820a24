/// `spaceaudit spaces remove`
struct SpacesRemove: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable("spaces remove")
    }
}
