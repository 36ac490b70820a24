/// The process exit codes of product.md §1.
enum ExitCode: Int32 {
    /// Everything went as asked.
    case ok = 0
    /// `report` found something at or above `--fail-on`, or `verify` found a broken chain.
    case findings = 1
    /// The command line was wrong; nothing was done.
    case usage = 2
    /// The command was right but could not be carried out (database unreachable, …).
    case failure = 3
}

/// A mistake in the command line: exit 2, one line on stderr.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The command was valid but failed: exit 3, one line on stderr. `description` is safe to show.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
