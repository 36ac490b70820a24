import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Reading libpq's errors, always right after the call that produced them (the connection's
// error message is overwritten by the next call).
extension Connection {
    /// Throws unless `res` is a successful command or query result. A stray COPY state is
    /// ended first, so the connection stays usable.
    func check(_ res: OpaquePointer?, script: Bool) throws(PostgresError) {
        guard let res else {
            // No result at all: out of memory or the connection is gone.
            throw PostgresError(isHealthy ? .server : .connectionLost, lastErrorMessage())
        }
        switch PQresultStatus(res) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return
        case PGRES_EMPTY_QUERY where script:
            return
        case PGRES_COPY_IN, PGRES_COPY_OUT:
            abandonCopy(PQresultStatus(res))
            throw PostgresError(.misuse, "COPY ... STDIN/STDOUT needs copyIn or copyOut")
        case PGRES_EMPTY_QUERY:
            throw PostgresError(.misuse, "empty statement")
        default:
            throw error(from: res)
        }
    }

    /// The error described by a failed result, with the server's diagnostic fields.
    func error(from res: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(res, Int32(code)).map { String(cString: $0) }
        }
        let sqlState = field(UInt8(ascii: "C"))
        // libpq-generated errors ("server closed the connection unexpectedly") have no
        // primary field, only the whole message.
        let message =
            field(UInt8(ascii: "M"))
            ?? scrub(String(cString: PQresultErrorMessage(res)).trimmingNewlines())
        // A terminated backend sends 57P01 and closes: the connection is lost, not just the query.
        let kind: PostgresError.Kind = isHealthy ? .server : .connectionLost
        return PostgresError(
            kind, message.isEmpty ? "unknown error" : message, sqlState: sqlState,
            detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")), context: field(UInt8(ascii: "W")),
            position: field(UInt8(ascii: "P")).flatMap { Int($0) })
    }

    /// The connection-level message (connect failures, lost connections), password-free.
    func lastErrorMessage() -> String {
        let text = scrub(String(cString: PQerrorMessage(pg)).trimmingNewlines())
        return text.isEmpty ? "unknown libpq error" : text
    }

    /// Leaves a COPY state entered by mistake (a COPY statement sent to query/execute):
    /// refuses COPY IN, drains COPY OUT, then reads the closing results.
    func abandonCopy(_ status: ExecStatusType) {
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(pg, "COPY FROM STDIN needs copyIn")
        } else {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(pg, &buffer, 0) > 0 {
                PQfreemem(buffer)
            }
        }
        drainResults()
    }

    /// Reads and frees the remaining results of the current command.
    func drainResults() {
        while let res = PQgetResult(pg) {
            PQclear(res)
        }
    }

    private func scrub(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.replacingOccurrencesOf(password, with: "***")
    }
}

/// Passes `strings` to C as a `const char *const *` (NULL elements allowed), optionally with a
/// terminating NULL. The copies live only for the duration of `body`.
func withCStringArray<R>(
    _ strings: [String?], terminated: Bool = true, _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { $0.map { UnsafePointer($0) } }
    if terminated || pointers.isEmpty { pointers.append(nil) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    func trimmingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last.isNewline || last == " " { text.removeLast() }
        return String(text)
    }

    func replacingOccurrencesOf(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts.joined(separator: replacement)
    }
}
