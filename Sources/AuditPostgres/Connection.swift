import CLibPQ
import Synchronization

/// One PostgreSQL session (a libpq `PGconn`). Blocking: every call waits for the server, so
/// call it from a thread you own (an HTTP connection thread, the CLI), never from Swift's
/// cooperative pool. Usually borrowed from a `ConnectionPool`.
///
/// The session always runs with `TimeZone = UTC`, `DateStyle = ISO`, UTF-8 and hex bytea, which
/// the `Row` parsers rely on.
// @unchecked: one user at a time (the pool lends it to one borrower); enter() makes concurrent use an error.
public final class Connection: @unchecked Sendable {
    let pg: OpaquePointer  // PGconn*, owned; freed in deinit
    private let busy = Atomic<Bool>(false)
    /// The password, to scrub it from libpq messages should one ever echo it.
    let password: String?

    /// Opens a session. `conninfo` is any libpq connection string: a URI
    /// (`postgresql://user@host/db?sslmode=require`) or key=value (`host=/tmp dbname=x`); the
    /// usual PG* environment variables fill what it omits.
    public convenience init(conninfo: String) throws(PostgresError) {
        try self.init(conninfo: conninfo, connectTimeoutSeconds: 10)
    }

    /// `connectTimeoutSeconds` applies unless `conninfo` sets connect_timeout itself (libpq's own
    /// default is to wait forever).
    init(conninfo: String, connectTimeoutSeconds: Int) throws(PostgresError) {
        let options = try ConnectionString.parse(conninfo)
        password = options.first { $0.key == "password" }?.value
        // Keywords before "dbname" are defaults that the expanded conninfo may override.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), "spaceaudit", conninfo]
        let connection = withCStringArray(keywords) { k in
            withCStringArray(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let connection else {
            throw PostgresError(.connectionFailed, "out of memory")
        }
        pg = connection
        // From here on deinit runs, so a failed connection is still freed with PQfinish.
        guard PQstatus(pg) == CONNECTION_OK else {
            throw PostgresError(.connectionFailed, lastErrorMessage())
        }
        // Notices (e.g. "relation already exists, skipping") would go to stderr by default.
        PQsetNoticeProcessor(pg, { _, _ in }, nil)
        try configureSession()
    }

    deinit {
        PQfinish(pg)
    }

    /// False once libpq has seen the connection break; `reset()` or discard it then.
    public var isHealthy: Bool { PQstatus(pg) == CONNECTION_OK }

    /// Non-blocking liveness probe for the pool: reads whatever the server sent while the
    /// connection sat idle (e.g. the FATAL of a terminated backend) without sending anything.
    func isAlive() -> Bool {
        guard (try? enter()) != nil else { return false }
        defer { leave() }
        // Twice: a terminated backend sends a FATAL message, then closes. The first read
        // consumes the message (libpq treats it as a notice), only the second meets the EOF.
        for _ in 0..<2 where PQconsumeInput(pg) == 0 { return false }
        return PQstatus(pg) == CONNECTION_OK
    }

    /// Reconnects with the same parameters (a new server session).
    public func reset() throws(PostgresError) {
        try enter()
        defer { leave() }
        PQreset(pg)
        guard PQstatus(pg) == CONNECTION_OK else {
            throw PostgresError(.connectionFailed, lastErrorMessage())
        }
        try configureSession()
    }

    // MARK: Statements

    /// Runs one statement and returns its rows.
    public func query(_ sql: SQL) throws(PostgresError) -> [Row] {
        try run(sql).rows
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: SQL) throws(PostgresError) -> Int {
        try run(sql).affected
    }

    /// Runs a script of several `;`-separated statements without parameters (migrations).
    /// Without an explicit transaction, each statement commits on its own.
    public func simpleExecute(_ script: String) throws(PostgresError) {
        guard !script.utf8.contains(0) else {
            throw PostgresError(.invalidParameter, "script contains a NUL character")
        }
        try enter()
        defer { leave() }
        let res = PQexec(pg, script)
        defer { PQclear(res) }
        try check(res, script: true)
    }

    private func run(_ sql: SQL) throws(PostgresError) -> (rows: [Row], affected: Int) {
        // C strings end at NUL, so a value containing one would be cut short silently.
        for (i, bind) in sql.binds.enumerated() where bind.text?.utf8.contains(0) == true {
            throw PostgresError(
                .invalidParameter, "parameter $\(i + 1) contains a NUL character, which PostgreSQL text cannot store")
        }
        try enter()
        defer { leave() }
        let types = sql.binds.map { Oid($0.typeOID) }
        let res = withCStringArray(sql.binds.map(\.text), terminated: false) { values in
            PQexecParams(pg, sql.text, Int32(sql.binds.count), types, values, nil, nil, 0)
        }
        defer { PQclear(res) }
        try check(res, script: false)
        let affected = Int(String(cString: PQcmdTuples(res))) ?? 0
        return (readRows(res!), affected)
    }

    // MARK: Transactions

    /// Runs `body` in a transaction: COMMIT if it returns, ROLLBACK if it throws. Nested calls
    /// become savepoints, so an inner failure undoes only the inner work.
    @discardableResult
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        let nested: Bool
        switch PQtransactionStatus(pg) {
        case PQTRANS_IDLE: nested = false
        case PQTRANS_INTRANS: nested = true
        case PQTRANS_INERROR:
            throw PostgresError(.misuse, "the enclosing transaction already failed; roll it back first")
        default: throw PostgresError(.connectionLost, "connection is not ready for a transaction")
        }
        try simpleExecute(nested ? "SAVEPOINT spaceaudit_nested" : "BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            // A broken connection has no transaction left to roll back; the caller's error
            // is the one worth reporting either way.
            if isHealthy {
                try? simpleExecute(
                    nested ? "ROLLBACK TO SAVEPOINT spaceaudit_nested; RELEASE SAVEPOINT spaceaudit_nested" : "ROLLBACK")
            }
            throw error
        }
        try simpleExecute(nested ? "RELEASE SAVEPOINT spaceaudit_nested" : "COMMIT")
        return value
    }

    /// True outside any transaction block (the state a pooled connection must be returned in).
    var isIdle: Bool { PQtransactionStatus(pg) == PQTRANS_IDLE }

    // MARK: Internals shared with Connection+Copy

    /// Claims the connection for one libpq call sequence; see the class comment.
    func enter() throws(PostgresError) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            throw PostgresError(.misuse, "a Connection was used by two threads at once; borrow one per thread from a ConnectionPool")
        }
    }

    func leave() {
        busy.store(false, ordering: .releasing)
    }

    private func configureSession() throws(PostgresError) {
        let res = PQexec(
            pg, "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, MDY'; SET client_encoding = 'UTF8'; SET bytea_output = 'hex'")
        defer { PQclear(res) }
        try check(res, script: true)
    }

    /// Copies a result's rows into Swift values, so nothing outlives PQclear.
    private func readRows(_ res: OpaquePointer) -> [Row] {
        let fieldCount = PQnfields(res)
        let columns = Row.Columns((0..<fieldCount).map { String(cString: PQfname(res, $0)) })
        return (0..<PQntuples(res)).map { row in
            Row(
                columns: columns,
                values: (0..<fieldCount).map { field in
                    if PQgetisnull(res, row, field) == 1 { return nil }
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(res, row, field), count: Int(PQgetlength(res, row, field)))
                    return String(decoding: bytes, as: UTF8.self)
                })
        }
    }
}
