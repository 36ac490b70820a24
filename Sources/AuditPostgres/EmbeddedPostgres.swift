import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster for users who set no `DATABASE_URL`.
///
/// Layout under the data dir: `pgdata/` (the cluster), `postgres.log`, the Unix socket
/// `.s.PGSQL.5432` and `spaceaudit.lock`. The cluster listens on that socket only (no TCP),
/// with trust authentication: the folder's permissions are the access control.
///
/// The PostgreSQL tools refuse to run as root, so as root they run as the `postgres` user
/// through `runuser`, and the cluster folder belongs to that user.
public final class EmbeddedPostgres: @unchecked Sendable {  // mutable state is touched by the owning command only
    public let dataDirectory: URL
    private let binDirectory: URL
    private var lock: DataDirectoryLock?
    private var startedHere = false

    public init(dataDirectory: URL, binDirectory: URL? = nil) throws(PostgresError) {
        self.dataDirectory = dataDirectory.standardizedFileURL
        guard let bin = binDirectory ?? Self.findBinDirectory() else {
            throw PostgresError.embedded(
                "no PostgreSQL server found (looked for initdb in /usr/lib/postgresql/*/bin); install the 'postgresql' package or set DATABASE_URL"
            )
        }
        self.binDirectory = bin
    }

    private var clusterDirectory: URL { dataDirectory.appendingPathComponent("pgdata") }
    private var logFile: URL { dataDirectory.appendingPathComponent("postgres.log") }
    private static let port = 5432

    /// libpq connection string for the running cluster.
    public var connectionString: String {
        "host=\(dataDirectory.path) port=\(Self.port) user=postgres dbname=postgres connect_timeout=5"
    }

    /// Takes the data-dir lock, creates the cluster on first use, and starts it.
    /// A second process on the same data dir gets a clear error instead of a shared cluster.
    public func start() throws(PostgresError) {
        try createDataDirectory()
        lock = try DataDirectoryLock(path: dataDirectory.appendingPathComponent("spaceaudit.lock").path)
        let socketPath = dataDirectory.appendingPathComponent(".s.PGSQL.\(Self.port)").path
        guard socketPath.utf8.count < 100 else {
            throw PostgresError.embedded("SPACEAUDIT_DATA_DIR path is too long for a Unix socket (\(socketPath.utf8.count) bytes, max 99)")
        }
        if !FileManager.default.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) {
            try initialise()
        }
        if try isRunning() {
            // Left behind by a previous run that was killed with SIGKILL: we hold the lock, so
            // nobody else uses it. Adopt it, and stop it when we are done.
            startedHere = true
            return
        }
        try runTool(
            "pg_ctl", ["-D", clusterDirectory.path, "-l", logFile.path, "-w", "-t", "60", "start"],
            what: "start the embedded PostgreSQL (see \(logFile.path))")
        startedHere = true
    }

    /// Stops the cluster (fast shutdown: open sessions are ended) and releases the lock.
    public func stop() {
        if startedHere {
            _ = try? runTool(
                "pg_ctl", ["-D", clusterDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"], what: "stop the embedded PostgreSQL")
            startedHere = false
        }
        lock = nil
    }

    private func isRunning() throws(PostgresError) -> Bool {
        // pg_ctl status: 0 running, 3 not running, 4 no accessible data directory.
        let status = try runTool(
            "pg_ctl", ["-D", clusterDirectory.path, "status"], what: "check the embedded PostgreSQL", allowedExitCodes: [0, 3])
        return status == 0
    }

    private func createDataDirectory() throws(PostgresError) {
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PostgresError.embedded("cannot create data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        if Self.runningAsRoot {
            try checkReachableByPostgresUser()
            // The server process (user postgres) writes its socket and lock file here.
            chown(dataDirectory.path, Self.postgresUserID.uid, Self.postgresUserID.gid)
        }
    }

    private func initialise() throws(PostgresError) {
        try runTool(
            "initdb",
            ["-D", clusterDirectory.path, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
            what: "create the embedded PostgreSQL cluster")
        let settings = """

            # Added by spaceaudit: Unix socket in the data dir only, no TCP.
            listen_addresses = ''
            unix_socket_directories = '\(dataDirectory.path)'
            unix_socket_permissions = 0700
            port = \(Self.port)
            fsync = on

            """
        let conf = clusterDirectory.appendingPathComponent("postgresql.conf")
        do {
            let handle = try FileHandle(forWritingTo: conf)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(settings.utf8))
        } catch {
            throw PostgresError.embedded("cannot configure the embedded cluster: \(error.localizedDescription)")
        }
    }

    /// Runs a PostgreSQL tool, as the `postgres` user when we are root. Returns its exit code.
    @discardableResult
    private func runTool(_ tool: String, _ arguments: [String], what: String, allowedExitCodes: Set<Int32> = [0]) throws(PostgresError)
        -> Int32
    {
        let toolPath = binDirectory.appendingPathComponent(tool).path
        let command = Self.runningAsRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", toolPath] + arguments : [toolPath] + arguments
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(command)
        } catch {
            throw PostgresError.embedded("cannot \(what): \(error)")
        }
        guard allowedExitCodes.contains(result.status) else {
            let lastLine = result.output.split(separator: "\n").last.map(String.init) ?? "exit code \(result.status)"
            throw PostgresError.embedded("cannot \(what): \(lastLine)")
        }
        return result.status
    }

    /// As root, the cluster runs as `postgres`, which must be able to reach the folder.
    private func checkReachableByPostgresUser() throws(PostgresError) {
        var directory = dataDirectory.deletingLastPathComponent()
        while directory.path != "/" {
            var info = stat()
            if stat(directory.path, &info) == 0, info.st_mode & 0o001 == 0, info.st_uid != Self.postgresUserID.uid {
                throw PostgresError.embedded(
                    "the embedded PostgreSQL runs as user postgres, which cannot enter \(directory.path); set SPACEAUDIT_DATA_DIR to a folder it can reach (for example under /var/tmp) or set DATABASE_URL"
                )
            }
            directory = directory.deletingLastPathComponent()
        }
    }

    private static var runningAsRoot: Bool { geteuid() == 0 }

    private static var postgresUserID: (uid: uid_t, gid: gid_t) {
        guard let entry = getpwnam("postgres") else { return (0, 0) }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private static func findBinDirectory() -> URL? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newestFirst = versions.compactMap { Int($0) }.sorted(by: >)
        for version in newestFirst {
            let bin = URL(fileURLWithPath: "\(root)/\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }
}

/// An exclusive `flock` on a file in the data dir, held for the life of the process.
/// The kernel releases it when the process dies, even on SIGKILL.
final class DataDirectoryLock {
    private let descriptor: Int32

    init(path: String) throws(PostgresError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PostgresError.embedded("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            close(descriptor)
            throw PostgresError.embedded(
                "another spaceaudit (pid \(holder.isEmpty ? "?" : holder)) is using the data directory \(URL(fileURLWithPath: path).deletingLastPathComponent().path); stop it or set SPACEAUDIT_DATA_DIR"
            )
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
