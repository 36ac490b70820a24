import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT and SIGTERM into an orderly stop: the registered cleanups run in reverse
/// order (stop the HTTP server, then the embedded PostgreSQL), then the process exits.
final class SignalTrap: @unchecked Sendable {  // `cleanups` guarded by `lock`
    static let shared = SignalTrap()

    private let lock = NSLock()
    private var cleanups: [@Sendable () -> Void] = []
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "spaceaudit.signals")

    private init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in self?.terminate(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    func onTerminate(_ cleanup: @escaping @Sendable () -> Void) {
        lock.withLock { cleanups.append(cleanup) }
    }

    private func terminate(_ signalNumber: Int32) {
        let toRun = lock.withLock { () -> [@Sendable () -> Void] in
            defer { cleanups = [] }
            return cleanups.reversed()
        }
        for cleanup in toRun { cleanup() }
        // 128 + signal number is the shell convention; SIGTERM of `serve` is a normal stop.
        exit(signalNumber == SIGTERM ? 0 : 128 + signalNumber)
    }
}
