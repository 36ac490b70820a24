import Foundation

// The only place argv and the process environment are read (architecture.md).
let cli = SpaceAuditCLI(environment: ProcessInfo.processInfo.environment)
exit(cli.run(Array(CommandLine.arguments.dropFirst())).rawValue)
