/// `spaceaudit migrate`: applies the pending files of `sql/`, each in its own transaction.
struct MigrateCommand: Command {
    let name = "migrate"
    let summary = "apply the numbered SQL files in sql/ (forward-only, recorded in schema_migrations)"
    let options: [OptionSpec] = []
    let help = """
        Usage: spaceaudit migrate

        Applies the numbered SQL files in sql/ that the database has not seen yet, in order, each
        in its own transaction, and records them in the table schema_migrations. Running it again
        does nothing. `serve` and every other command migrate on start as well.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        let database = try context.database()  // opening applies what is pending …
        let applied = database.appliedOnOpen + (try database.migrate())  // the second call normally finds nothing
        let total = try ResourceLocator.migrations().count
        context.console.out(
            "database: \(database.description)\nmigrations: \(total) known, all applied\(applied.isEmpty ? "" : " (\(applied.joined(separator: ", ")))")\n"
        )
        return .ok
    }
}
