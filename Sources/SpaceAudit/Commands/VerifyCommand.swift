/// `spaceaudit verify`: check the tamper-evidence hash chain
struct VerifyCommand: Command {
    let name = "verify"
    let summary = "check the tamper-evidence hash chain"
    let options: [OptionSpec] = [.repeated("space")]
    let help = """
        Usage: spaceaudit verify [--space ID]

        Recomputes every Space's hash chain; prints the rows checked and the first broken link.
        Exit 1 when a chain is broken.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable(name)
    }
}
