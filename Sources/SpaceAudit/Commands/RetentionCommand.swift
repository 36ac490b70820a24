/// `spaceaudit retention`: drop whole monthly partitions older than N months
struct RetentionCommand: Command {
    let name = "retention"
    let summary = "drop whole monthly partitions older than N months"
    let options: [OptionSpec] = [.single("keep-months")]
    let help = """
        Usage: spaceaudit retention --keep-months N

        Drops whole monthly partitions of the audit log older than N months and records, per
        Space, the chain head it cut at, so that verify still passes.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable(name)
    }
}
