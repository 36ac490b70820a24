/// `spaceaudit spaces <add|import|list|remove|token>`: the Space registry and ingest tokens.
/// Each subcommand lives in its own file (Commands/Spaces*.swift).
struct SpacesCommand: Command {
    let name = "spaces"
    let summary = "register, list and remove Spaces; issue ingest tokens"
    let options: [OptionSpec] = [
        .single("readme"), .single("host"), .repeated("callback"), .single("hub"), .single("owner"), .flag("json"), .flag("revoke"),
    ]
    let help = """
        Usage: spaceaudit spaces add ID --readme FILE [--host HOST] [--callback URL]...
               spaceaudit spaces import DIR [--owner OWNER]
               spaceaudit spaces import --hub AUTHOR
               spaceaudit spaces list [--json]
               spaceaudit spaces remove ID
               spaceaudit spaces token ID [--revoke]

        add     register or update a Space (ID = owner/name) from its README.md front matter;
                --host overrides the derived owner-name.hf.space host; --callback registers an
                expected OAuth callback URL (repeatable)
        import  every */README.md under DIR (the id from each clone's git remote, else
                --owner and the folder name), or the public Spaces of AUTHOR on the Hub
                (base URL from HF_ENDPOINT, default https://huggingface.co); a broken README
                is reported and the others go on; exit 2 if any failed
        list    the registered Spaces
        remove  forget a Space (its audit events stay: the log is append-only)
        token   issue a new ingest token for the Space: printed once, stored hashed;
                --revoke revokes every live token of the Space instead

        """

    static let subcommands: [String: any SpacesSubcommand] = [
        "add": SpacesAdd(), "import": SpacesImport(), "list": SpacesList(), "remove": SpacesRemove(), "token": SpacesToken(),
    ]

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        guard let verb = arguments.positionals.first else {
            throw UsageError("missing subcommand (add, import, list, remove or token)")
        }
        guard let subcommand = Self.subcommands[verb] else {
            throw UsageError("unknown subcommand '\(verb)' (add, import, list, remove or token)")
        }
        return try subcommand.run(arguments, Array(arguments.positionals.dropFirst()), context)
    }
}

/// One verb of `spaceaudit spaces`. `operands` are the positionals after the verb.
protocol SpacesSubcommand: Sendable {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode
}
