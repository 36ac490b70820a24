import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// `spaceaudit spaces token ID [--revoke]`: issue a new ingest token (printed once, stored as
/// SHA-256), or revoke every live token of the Space. Issuing does not revoke older tokens,
/// so a Space can rotate without a gap: issue, deploy the new one, then `--revoke`… and issue
/// again (revocation is per Space, all at once).
struct SpacesToken: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        guard operands.count == 1 else {
            throw UsageError(operands.isEmpty ? "missing Space ID (owner/name)" : "unexpected argument '\(operands[1])'")
        }
        guard let spaceID = SpaceID(operands[0]) else {
            throw UsageError("'\(operands[0])' is not a Space ID of the form owner/name")
        }
        let store = IngestTokenStore(pool: try context.database().pool, hash: { Crypto.sha256($0) })
        if arguments.has("revoke") {
            let count = try store.revokeAll(spaceID: spaceID, at: Date())
            context.console.out("revoked \(count) ingest token\(count == 1 ? "" : "s") of \(spaceID)\n")
            return .ok
        }
        let token = try IngestToken.generate()
        do {
            _ = try store.store(token: token, spaceID: spaceID)
        } catch let error as IngestTokenError {
            throw RuntimeError(error.description)
        }
        // The token goes to stdout alone (scriptable: TOKEN=$(spaceaudit spaces token ID));
        // the advice goes to stderr.
        context.console.out(token + "\n")
        context.console.err(
            "spaceaudit: ingest token for \(spaceID) printed above; it is shown only this once. "
                + "Store it as a Space secret (e.g. SPACEAUDIT_TOKEN).\n")
        return .ok
    }
}
