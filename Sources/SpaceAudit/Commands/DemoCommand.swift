/// `spaceaudit demo`: embedded database, sample Spaces and events, a local OpenID provider, then serve
struct DemoCommand: Command {
    let name = "demo"
    let summary = "embedded database, sample Spaces and events, a local OpenID provider, then serve"
    let options: [OptionSpec] = [.single("port")]
    let help = """
        Usage: spaceaudit demo [--port N]

        Starts the embedded PostgreSQL, loads realistic sample Spaces and events, starts a local
        OpenID provider, and serves the dashboard.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        throw notYetAvailable(name)
    }
}
