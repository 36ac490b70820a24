import AuditCore
import Foundation

/// `spaceaudit report`: active users, scope grants and findings
struct ReportCommand: Command {
    let name = "report"
    let summary = "active users, scope grants and findings"
    let options: [OptionSpec] = [.repeated("space"), .single("since"), .single("until"), .single("format"), .single("fail-on")]
    let help = """
        Usage: spaceaudit report [--space ID]... [--since 30d] [--until T] [--format table|json|csv|markdown] [--fail-on warning|error]

        Active users (1/7/30 days, new vs returning), scope grants and findings (R001-R008,
        S001-S004) per Space. Exit 1 when a finding is at or above --fail-on.

          --space ID     only this Space (repeatable); default: every registered Space and
                         every Space with recorded events
          --since T      window start: 30d, 12h (back from --until), an RFC 3339 time or a
                         YYYY-MM-DD day (00:00Z); default 30d
          --until T      window end and the "now" of the active-user windows: 12h (back from
                         now), an RFC 3339 time or a day; default now
          --format F     table (default; colour only on a terminal, NO_COLOR respected),
                         json (docs/report-format.md), csv, markdown
          --fail-on S    exit 1 when a finding has severity S or worse (info, warning, error)

        """

    enum Format: String, CaseIterable { case table, json, csv, markdown }

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        if let extra = arguments.positionals.first { throw UsageError("unexpected argument '\(extra)'") }
        let format = try Self.format(arguments.value("format"))
        let threshold = try Self.threshold(arguments.value("fail-on"))
        let now = Date()
        let report: Report
        do {
            let window = try ReportWindow.parse(since: arguments.value("since"), until: arguments.value("until"), now: now)
            report = try ReportBuilder(pool: context.database().pool).build(requested: arguments.all("space"), window: window, now: now)
        } catch let error as ReportInputError {
            throw UsageError(error.description)
        }
        context.console.out(render(report, format, colour: context.console.stdoutIsTerminal && context.environment["NO_COLOR"] == nil))
        if let threshold, report.exceeds(threshold: threshold) {
            return .findings
        }
        return .ok
    }

    func render(_ report: Report, _ format: Format, colour: Bool) -> String {
        switch format {
        case .table: TableRenderer(colour: colour).render(report)
        case .json: JSONReportRenderer().render(report)
        case .csv: CSVReportRenderer().render(report)
        case .markdown: MarkdownRenderer().render(report)
        }
    }

    static func format(_ text: String?) throws(UsageError) -> Format {
        guard let text else { return .table }
        guard let format = Format(rawValue: text) else {
            throw UsageError("invalid --format '\(text)' (table, json, csv or markdown)")
        }
        return format
    }

    static func threshold(_ text: String?) throws(UsageError) -> Severity? {
        guard let text else { return nil }
        guard let severity = Severity(rawValue: text) else {
            throw UsageError("invalid --fail-on '\(text)' (info, warning or error)")
        }
        return severity
    }
}
