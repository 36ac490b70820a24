/// Every failure of AuditPostgres. `description` is safe to show a user or put in an HTTP
/// response: it never holds the connection string, a password or a bound parameter value.
/// `debugDescription` adds the server's detail, hint and context for logs.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    enum Kind: Sendable, Equatable {
        case invalidConnectionString
        case connectionFailed  // could not connect (server down, bad host, auth refused)
        case connectionLost  // an open connection broke mid-way
        case server  // the server answered with an ErrorResponse
        case invalidParameter  // a value PostgreSQL text format cannot carry
        case decoding  // a Row accessor could not read a column
        case misuse  // API used in a way libpq forbids (e.g. concurrently)
        case poolExhausted
        case poolClosed
        case invalidMigration
        case migrationFailed(file: String, line: Int?)
    }

    let kind: Kind
    /// The 5-character SQLSTATE, when the server sent one.
    public let sqlState: String?
    /// The primary message (server's or ours); may quote data for class 22, see `description`.
    let message: String
    let detail: String?
    let hint: String?
    let context: String?
    /// 1-based character offset into the statement, when the server reported one.
    public let position: Int?

    init(
        _ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, context: String? = nil, position: Int? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.context = context
        self.position = position
    }

    /// Wraps a migration's failure so both the file and the server's reason are reported.
    func inMigration(_ file: String, line: Int?) -> PostgresError {
        PostgresError(
            .migrationFailed(file: file, line: line), message, sqlState: sqlState, detail: detail,
            hint: hint, context: context, position: position)
    }

    // MARK: Named checks

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isNotNullViolation: Bool { sqlState == "23502" }
    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// Raised by the login_events trigger (sql/0001_create_schema.sql).
    public var isAppendOnlyViolation: Bool { sqlState == "SA001" }
    public var isPoolExhausted: Bool { kind == .poolExhausted }

    /// The server is unreachable or the connection broke: the connection must be dropped.
    public var isConnectionFailure: Bool {
        switch kind {
        case .connectionFailed, .connectionLost: return true
        default:
            guard let sqlState else { return false }
            // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now.
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        }
    }

    /// Worth trying again (later, or on another connection): outages, serialization
    /// failures, deadlocks and a momentarily exhausted pool.
    public var isRetryable: Bool {
        isConnectionFailure || isSerializationFailure || isDeadlock || kind == .poolExhausted
    }

    // MARK: Rendering

    public var description: String {
        var text: String
        // Class 22 (data exception) messages quote the offending value, which may be a bound
        // parameter: keep them for the logs only.
        let safeMessage = sqlState?.hasPrefix("22") == true ? "invalid data value" : message
        switch kind {
        case .migrationFailed(let file, let line):
            text = "migration \(file) failed" + (line.map { " at line \($0)" } ?? "") + ": \(safeMessage)"
        case .server: text = safeMessage
        case .connectionFailed: text = "cannot connect to PostgreSQL: \(message)"
        case .connectionLost: text = "connection to PostgreSQL lost: \(message)"
        default: text = message
        }
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if sqlState?.hasPrefix("22") == true { text += "\n  message: \(message)" }
        if let position { text += "\n  position: \(position)" }
        if let detail { text += "\n  detail: \(detail)" }
        if let hint { text += "\n  hint: \(hint)" }
        if let context { text += "\n  context: \(context)" }
        return text
    }
}
