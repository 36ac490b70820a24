import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// `spaceaudit retention`: drop whole monthly partitions older than N months
struct RetentionCommand: Command {
    let name = "retention"
    let summary = "drop whole monthly partitions older than N months"
    let options: [OptionSpec] = [.single("keep-months")]
    let help = """
        Usage: spaceaudit retention --keep-months N

        Drops whole monthly partitions of the audit log older than N months (N >= 1): with
        --keep-months 1 in May, March and earlier go, April and May stay. In the same
        transaction it records, per Space that lost rows, a 'retention' event holding the
        chain head it cut at and a digest of the removed chain positions (retention_cuts), so
        'spaceaudit verify' still passes afterwards. Keep SPACEAUDIT_RETENTION_MONTHS (what
        ingest accepts) no larger than N.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        guard let text = arguments.value("keep-months") else { throw UsageError("missing --keep-months N") }
        guard let months = Int(text), (1...1200).contains(months) else {
            throw UsageError("--keep-months must be a whole number from 1 to 1200, not '\(text)'")
        }
        let retention = Retention(pool: try context.database().pool, hash: { Crypto.sha256($0) })
        let outcome = try retention.run(keepMonths: months, now: Date())
        let console = context.console
        guard !outcome.droppedPartitions.isEmpty else {
            console.out("retention: nothing older than \(RFC3339.format(outcome.cutBefore)); no partition dropped\n")
            return .ok
        }
        for space in outcome.spaces {
            console.out("\(space.space): \(space.rows) rows removed, cut recorded as event \(space.retentionEventID)\n")
        }
        console.out(
            "retention: dropped \(outcome.droppedPartitions.count) partition\(outcome.droppedPartitions.count == 1 ? "" : "s") "
                + "(\(outcome.droppedPartitions.joined(separator: ", "))), \(outcome.rowsRemoved) rows before \(RFC3339.format(outcome.cutBefore))\n"
        )
        return .ok
    }
}
