import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `spaceaudit` binary as a user would: argv, environment, exit code, output.
/// posix_spawn rather than Foundation's Process, whose waitUntilExit was seen to hang.
struct Binary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = repositoryRoot.appendingPathComponent(".build/debug/spaceaudit").path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// A started process; output goes to files read at the end.
    final class Running {
        let pid: pid_t
        private let outPath: String
        private let errPath: String
        private(set) var exitStatus: Int32?

        init(pid: pid_t, outPath: String, errPath: String) {
            self.pid = pid
            self.outPath = outPath
            self.errPath = errPath
        }

        func signal(_ number: Int32) { kill(pid, number) }

        /// Waits for the exit, up to `seconds`; kills the process if it does not end.
        @discardableResult
        func wait(seconds: Double = 60) -> Result {
            let deadline = Date().addingTimeInterval(seconds)
            var status: Int32 = 0
            while exitStatus == nil {
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid {
                    exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                } else if Date() > deadline {
                    kill(pid, SIGKILL)
                    usleep(100_000)
                } else {
                    usleep(20_000)
                }
            }
            return Result(status: exitStatus!, stdout: Self.read(outPath), stderr: Self.read(errPath))
        }

        var stderrSoFar: String { Self.read(errPath) }

        private static func read(_ path: String) -> String {
            (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
    }

    static func start(_ arguments: [String], environment: [String: String] = [:]) -> Running {
        let base = NSTemporaryDirectory() + "spaceaudit-test-\(UUID().uuidString)"
        let outPath = base + ".out"
        let errPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // A clean environment: only PATH plus what the test gives, so no DATABASE_URL leaks in.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        env.merge(environment) { _, new in new }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        precondition(spawned == 0, "cannot start \(path): \(String(cString: strerror(spawned))) — build it first")
        return Running(pid: pid, outPath: outPath, errPath: errPath)
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], seconds: Double = 120) -> Result {
        start(arguments, environment: environment).wait(seconds: seconds)
    }

    /// A fresh data dir the `postgres` user can enter (the embedded cluster runs as it under root).
    static func freshDataDirectory() -> String {
        let path = "/tmp/spaceaudit-test-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP port nobody listens on right now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// PIDs of PostgreSQL server processes whose command line names `dataDirectory`.
    static func postgresProcesses(using dataDirectory: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.filter { pid in
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let commandLine = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return commandLine.contains("postgres") && commandLine.contains(dataDirectory)
        }
    }
}
