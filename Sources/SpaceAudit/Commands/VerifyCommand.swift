import AuditCore
import AuditOIDC
import AuditPostgres

/// `spaceaudit verify`: check the tamper-evidence hash chain
struct VerifyCommand: Command {
    let name = "verify"
    let summary = "check the tamper-evidence hash chain"
    let options: [OptionSpec] = [.repeated("space")]
    let help = """
        Usage: spaceaudit verify [--space ID]...

        Recomputes every Space's hash chain (or only the given Spaces) and prints, per Space,
        the rows checked and, when the chain is broken, the first broken link (seq and event
        id) and what is wrong: an edited, deleted, inserted or reordered row. Gaps left by
        'spaceaudit retention' are accepted when its recorded cut explains them exactly.

        Exit 0 when every chain checked is intact; 1 when a chain is broken, or when nothing
        was checked (no events, or an unknown --space): verify never reports success having
        checked zero rows; 3 when the database cannot be read.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        let spaces = try arguments.all("space").map { text throws(UsageError) -> String in
            guard let id = SpaceID(text) else { throw UsageError("'\(text)' is not a Space ID of the form owner/name") }
            return id.description
        }
        let verifier = ChainVerifier(pool: try context.database().pool, hash: { Crypto.sha256($0) })
        let results = try verifier.verify(spaceIDs: spaces)
        let console = context.console
        var broken = 0
        var checked = 0
        for result in results {
            checked += result.rowsChecked
            let cut = result.rowsCut > 0 ? ", \(result.rowsCut) earlier rows removed by retention" : ""
            if let failure = result.firstBreak {
                broken += 1
                let at = failure.eventID.map { "seq \(failure.seq), event_id \($0)" } ?? "seq \(failure.seq)"
                console.out("\(result.spaceID): BROKEN at \(at): \(failure.reason) (\(result.rowsChecked) rows checked before it\(cut))\n")
            } else if result.rowsChecked == 0 {
                console.out("\(result.spaceID): no rows to check\n")
            } else {
                console.out("\(result.spaceID): ok, \(result.rowsChecked) rows checked (seq up to \(result.lastSeq))\(cut)\n")
            }
        }
        if broken > 0 {
            console.out("verify: \(broken) of \(results.count) chain\(results.count == 1 ? "" : "s") BROKEN\n")
            return .findings
        }
        if checked == 0 {
            console.out(
                "verify: nothing verified: 0 rows checked\(spaces.isEmpty ? " (no events recorded yet)" : " for the given Spaces")\n")
            return .findings
        }
        console.out("verify: ok, \(checked) rows in \(results.count) chain\(results.count == 1 ? "" : "s") checked, all intact\n")
        return .ok
    }
}
