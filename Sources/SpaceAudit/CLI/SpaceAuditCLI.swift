import AuditCore
import AuditPostgres
import Foundation

/// The root command: picks the subcommand, prints help, turns errors into one line and an exit code.
struct SpaceAuditCLI {
    let environment: [String: String]
    let console = Console()

    static let version = "0.1.0"

    static let commands: [any Command] = [
        ServeCommand(), MigrateCommand(), SpacesCommand(), ReportCommand(), ExportCommand(),
        VerifyCommand(), RetentionCommand(), DemoCommand(),
    ]

    func run(_ argv: [String]) -> ExitCode {
        guard let first = argv.first else {
            console.err(Self.rootHelp)
            return .usage
        }
        if first == "--help" || first == "-h" || first == "help" {
            console.out(Self.rootHelp)
            return .ok
        }
        if first == "--version" {
            console.out("spaceaudit \(Self.version)\n")
            return .ok
        }
        guard let command = Self.commands.first(where: { $0.name == first }) else {
            console.err("spaceaudit: unknown command '\(first)' (see 'spaceaudit --help')\n")
            return .usage
        }
        let rest = Array(argv.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            console.out(command.help)
            return .ok
        }
        let context = CommandContext(environment: environment, console: console)
        defer { context.close() }
        do {
            let arguments = try Arguments(rest, specs: command.options)
            return try command.run(arguments, context)
        } catch let error as UsageError {
            console.err("spaceaudit \(command.name): \(error.description) (see 'spaceaudit \(command.name) --help')\n")
            return .usage
        } catch {
            console.err("spaceaudit \(command.name): error: \(Self.safeDescription(of: error))\n")
            return .failure
        }
    }

    /// One line, safe to show: our error types describe themselves without secrets or details.
    static func safeDescription(of error: any Error) -> String {
        let text = String(describing: error)
        return text.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    static var rootHelp: String {
        let width = commands.map(\.name.count).max() ?? 0
        let list = commands.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.summary)" }
        return """
            spaceaudit \(version): audit "Sign in with Hugging Face" across many Spaces.

            Usage: spaceaudit <command> [options]     (spaceaudit <command> --help for details)

            Commands:
            \(list.joined(separator: "\n"))

            Database: DATABASE_URL (any libpq connection string; PG* variables also work). Without it,
            an embedded PostgreSQL is created under SPACEAUDIT_DATA_DIR (default ./.spaceaudit).

            Exit codes: 0 ok; 1 findings at or above --fail-on (report) or a broken chain (verify);
                        2 usage error; 3 runtime failure.

            """
    }
}
