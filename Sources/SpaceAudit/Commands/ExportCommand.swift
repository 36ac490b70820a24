/// `spaceaudit export`: stream the audit log as CSV or NDJSON
struct ExportCommand: Command {
    let name = "export"
    let summary = "stream the audit log as CSV or NDJSON"
    let options: [OptionSpec] = [.repeated("space"), .single("since"), .single("until"), .repeated("event"), .repeated("user"), .single("format"), .single("output", short: "o")]
    let help = """
        Usage: spaceaudit export [--space ID]... [--since T] [--until T] [--event E] [--user U] [--format csv|ndjson] [-o FILE]

        Streams the audit log (no row cap, flat memory). With -o FILE a manifest FILE.manifest.json
        gives the row count, SHA-256, time range and chain heads. Every export is itself logged.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable(name)
    }
}
