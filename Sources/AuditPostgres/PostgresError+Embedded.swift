extension PostgresError {
    /// The embedded cluster could not be created, started or locked; the message says why.
    static func embedded(_ message: String) -> PostgresError {
        PostgresError(.connectionFailed, message)
    }
}
