import Foundation
import Testing

@testable import AuditCore

@Suite("Renderers")
struct RendererTests {
    static let finding = Finding(
        ruleID: "R001", severity: .error, spaceID: Fixture.space,
        seen: "redirect_uri http://x|y", expected: "https", count: 3,
        firstSeen: Fixture.ago(days: 2), lastSeen: Fixture.ago(days: 1), fix: "=use https")
    static let report = ReportTests.report(findings: [finding])

    @Test func jsonShapeIsSnakeCaseSortedRFC3339() throws {
        let text = JSONReportRenderer().render(Self.report)
        for key in [
            "\"generated_at\" : \"2026-08-22T12:00:00Z\"", "\"findings_by_severity\"", "\"active_30d\" : 4",
            "\"rule_id\" : \"R001\"", "\"first_seen\" : \"2026-08-20T12:00:00Z\"", "\"space\" : \"acme/admin-console\"",
            "\"scope_grants\"", "\"distinct_users\"",
        ] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(text.range(of: "\"active_users\"")!.lowerBound < text.range(of: "\"findings\"")!.lowerBound)
        #expect(try JSONReportRenderer.decode(text) == Self.report)
        #expect(JSONReportRenderer().render(Self.report) == text)  // stable
    }

    @Test func tableAlignsAndColoursOnlyWhenAsked() {
        let plain = TableRenderer().render(Self.report)
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("acme/admin-console   1   2    4    3          1  2026-08-22T10:00:00Z      1     0     0"))
        let coloured = TableRenderer(colour: true).render(Self.report)
        #expect(coloured.contains("\u{1B}[31;1merror   \u{1B}[0m"))
    }

    @Test func csvHasFindingAndUserRows() {
        let lines = CSVReportRenderer().render(Self.report).components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("record,space,rule_id,severity"))
        #expect(
            lines[1]
                == "finding,acme/admin-console,R001,error,redirect_uri http://x|y,https,3,2026-08-20T12:00:00Z,2026-08-21T12:00:00Z,'=use https,,,,,,"
        )
        #expect(lines.filter { $0.hasPrefix("user,") }.count == 5)  // 4 in A + alice in B
        #expect(
            lines.contains {
                $0.hasPrefix("user,acme/admin-console,,,,,,,,,u-bob,bob,") && $0.hasSuffix(",true,openid profile write-repos")
            })
    }

    @Test func markdownEscapesUserText() {
        let md = MarkdownRenderer().render(Self.report)
        #expect(md.contains("**1 error(s), 0 warning(s), 0 info**"))
        #expect(md.contains("`redirect_uri http://x\\|y`"))
        #expect(MarkdownRenderer().cell("<script>|[x](y)\n") == "\\<script\\>\\|\\[x\\](y) ")
    }
}
