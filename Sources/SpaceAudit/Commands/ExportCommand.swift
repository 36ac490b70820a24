import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// `spaceaudit export`: stream the audit log as CSV or NDJSON
struct ExportCommand: Command {
    let name = "export"
    let summary = "stream the audit log as CSV or NDJSON"
    let options: [OptionSpec] = [
        .repeated("space"), .single("since"), .single("until"), .repeated("event"), .repeated("user"), .single("format"),
        .single("output", short: "o"),
    ]
    let help = """
        Usage: spaceaudit export [--space ID]... [--since T] [--until T] [--event E]... [--user U]... [--format csv|ndjson] [-o FILE]

        Streams the audit log from one consistent snapshot (no row cap, flat memory), ordered by
        Space and chain position. CSV (default): header row, the fixed columns of README "Audit
        CSV", RFC 4180 with CRLF, UTF-8, RFC 3339 UTC times, cells starting with = + - @ TAB or
        CR prefixed with ' against spreadsheet formulas. NDJSON: one object per line, same keys.

          --space ID      only this Space (repeatable)
          --since T       occurred_at >= T; --until T: occurred_at < T. T is RFC 3339, a UTC
                          date YYYY-MM-DD, or an age such as 30d, 12h, 90m
          --event E       only this event type (repeatable)
          --user U        only events whose user_sub or username is U (repeatable)
          -o FILE         write FILE (atomically) and FILE.manifest.json (rows, SHA-256, time
                          range, chain heads); a progress bar goes to stderr when it is a terminal

        Every export is itself recorded as an 'export' event (who, filters, rows) in the chain
        of each Space it covered.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        let formatText = arguments.value("format") ?? "csv"
        guard let format = AuditExporter.Format(rawValue: formatText) else {
            throw UsageError("--format must be csv or ndjson")
        }
        let now = Date()
        let filter: EventFilter
        do {
            filter = try ExportFilterParser(now: now).parse(
                spaces: arguments.all("space"), since: arguments.value("since"), until: arguments.value("until"),
                events: arguments.all("event"), users: arguments.all("user"))
        } catch {
            throw UsageError(error.description)
        }
        let output = arguments.value("output")
        let database = try context.database()
        let exporter = AuditExporter(
            pool: database.pool, store: EventStore(pool: database.pool, hash: { Crypto.sha256($0) }),
            fallbackSpace: (try? Config.parse(environment: context.environment))?.serviceSpaceID ?? SpaceID("local/cli")!)
        let result: AuditExporter.Result
        if let output {
            result = try exportToFile(output, exporter: exporter, filter: filter, format: format, context: context, now: now)
        } else {
            result = try exporter.run(filter, format: format, write: { context.console.outBytes($0) })
        }
        let user = context.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        try exporter.record(result, filter: filter, format: format, by: .init(username: "cli:\(user)"), at: Date())
        if output != nil {
            context.console.err("spaceaudit: exported \(result.summary.rows) rows to \(output!) (sha256 \(result.sha256))\n")
        }
        return .ok
    }

    /// Writes `FILE.partial`, renames it to FILE when complete, then writes the manifest: a
    /// failed export never leaves a truncated FILE that looks finished.
    private func exportToFile(
        _ path: String, exporter: AuditExporter, filter: EventFilter, format: AuditExporter.Format, context: CommandContext, now: Date
    ) throws -> AuditExporter.Result {
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw RuntimeError("cannot create \(partial)")
        }
        guard let handle = FileHandle(forWritingAtPath: partial) else { throw RuntimeError("cannot write \(partial)") }
        let progress = context.console.stderrIsTerminal ? ProgressBar(console: context.console) : nil
        let result: AuditExporter.Result
        do {
            defer { try? handle.close() }
            result = try exporter.run(
                filter, format: format, write: { try handle.write(contentsOf: $0) }, progress: progress.map { bar in bar.update })
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        progress?.finish()
        guard rename(partial, path) == 0 else { throw RuntimeError("cannot rename \(partial) to \(path)") }
        let manifest = ExportManifest(
            file: URL(fileURLWithPath: path).lastPathComponent, format: format, result: result, filter: filter, now: now)
        try manifest.encoded().write(to: URL(fileURLWithPath: path + ".manifest.json"), options: .atomic)
        return result
    }
}

/// `exporting  123456/1000000 rows [#####-----]  12%` redrawn in place on stderr.
final class ProgressBar: @unchecked Sendable {  // used from the exporting thread only
    private let console: Console
    private var lastPercent = -1

    init(console: Console) { self.console = console }

    func update(_ rows: Int, _ total: Int) {
        let percent = total == 0 ? 100 : min(100, rows * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent / 5
        console.err(
            "\rexporting \(rows)/\(total) rows [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: 20 - filled))] \(percent)%"
        )
    }

    func finish() { console.err("\n") }
}
