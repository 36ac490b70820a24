/// `spaceaudit spaces token`
struct SpacesToken: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable("spaces token")
    }
}
