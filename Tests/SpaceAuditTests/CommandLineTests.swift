import Foundation
import Testing

/// The binary's command line: help, usage errors and exit codes (product.md §1).
@Suite struct CommandLineTests {
    static let commands = ["serve", "migrate", "spaces", "report", "export", "verify", "retention", "demo"]

    @Test func rootHelpListsEveryCommand() {
        let result = Binary.run(["--help"])
        #expect(result.status == 0)
        for command in Self.commands {
            #expect(result.stdout.contains("  \(command) "), "missing \(command) in --help")
        }
        #expect(result.stdout.contains("Exit codes"))
    }

    @Test(arguments: commands)
    func everyCommandHasHelp(command: String) {
        let result = Binary.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("Usage: spaceaudit \(command)"))
        #expect(result.stderr.isEmpty)
    }

    @Test func unknownOptionIsAUsageErrorOnOneLine() {
        let result = Binary.run(["report", "--colour", "pink"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "spaceaudit report: unknown option '--colour' (see 'spaceaudit report --help')\n")
    }

    @Test func unknownCommandIsAUsageError() {
        let result = Binary.run(["frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'frobnicate'"))
    }

    @Test func noArgumentsPrintsHelpToStderrWithUsageExit() {
        let result = Binary.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Usage: spaceaudit <command>"))
    }

    @Test func missingOptionValueIsAUsageError() {
        let result = Binary.run(["serve", "--port"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("option '--port' needs a value"))
    }

    @Test func unreachableDatabaseIsARuntimeFailureOnOneLine() {
        let result = Binary.run(
            ["migrate"], environment: ["DATABASE_URL": "postgresql:///nowhere?host=/nonexistent-socket-dir&connect_timeout=2"])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("spaceaudit migrate: error: "))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result.stderr)")
    }

    @Test func badConfigurationIsReportedAllAtOnceBeforeStarting() {
        let result = Binary.run(
            ["serve"],
            environment: [
                "DATABASE_URL": "postgresql:///nowhere?host=/nonexistent-socket-dir", "PORT": "not-a-port",
                "OAUTH_CLIENT_ID": "only-the-id", "SPACEAUDIT_SESSION_HOURS": "zero",
            ])
        #expect(result.status == 3)
        #expect(result.stderr.contains("PORT"))
        #expect(result.stderr.contains("OAUTH_CLIENT_SECRET"))
        #expect(result.stderr.contains("SPACEAUDIT_SESSION_HOURS"))
        #expect(!result.stderr.contains("cannot connect"), "config must be checked before the database")
    }
}
