/// One `spaceaudit` subcommand.
protocol Command: Sendable {
    /// The word after `spaceaudit`, e.g. `report`.
    var name: String { get }
    /// One line for the command list in `spaceaudit --help`.
    var summary: String { get }
    /// The full `--help` text.
    var help: String { get }
    var options: [OptionSpec] { get }
    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode
}
