/// `spaceaudit report`: active users, scope grants and findings
struct ReportCommand: Command {
    let name = "report"
    let summary = "active users, scope grants and findings"
    let options: [OptionSpec] = [.repeated("space"), .single("since"), .single("until"), .single("format"), .single("fail-on")]
    let help = """
        Usage: spaceaudit report [--space ID]... [--since 30d] [--until T] [--format table|json|csv|markdown] [--fail-on warning|error]

        Active users (1/7/30 days, new vs returning), scope grants and findings (R001-R008,
        S001-S004) per Space. Exit 1 when a finding is at or above --fail-on.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable(name)
    }
}
