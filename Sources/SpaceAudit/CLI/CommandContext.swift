import AuditPostgres
import Foundation

/// What every command gets: the environment, the console, and the database on first use.
/// Used from the command's own thread (and a signal handler that only calls `close`).
final class CommandContext: @unchecked Sendable {  // state guarded by `lock`
    let environment: [String: String]
    let console: Console
    private let lock = NSLock()
    private var session: DatabaseSession?

    init(environment: [String: String], console: Console) {
        self.environment = environment
        self.console = console
    }

    /// Opens (and migrates) the database the first time a command needs it.
    func database() throws -> DatabaseSession {
        try lock.withLock {
            if let session { return session }
            let opened = try DatabaseSession.open(environment: environment, console: console)
            session = opened
            SignalTrap.shared.onTerminate { [weak self] in self?.close() }
            return opened
        }
    }

    /// Stops the embedded PostgreSQL if this command started it. Safe to call twice.
    func close() {
        let current = lock.withLock { () -> DatabaseSession? in
            defer { session = nil }
            return session
        }
        current?.close()
    }
}
