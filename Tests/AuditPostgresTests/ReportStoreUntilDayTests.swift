import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

/// A report reads `until`'s own day from the rollups when no event of that day lies after
/// `until`, and from the raw events otherwise: both paths must give the same answer.
@Suite struct ReportStoreUntilDayTests {
    @Test func rollupAndRawUntilDayGiveTheSameReport() throws {
        try ReportFixture.with { f in
            let until = Seed.until
            let spaces = [SpaceID("acme/app")!]
            // Without keys: the fixture's in-memory reference does not deduplicate retries.
            let earlier = ReportStoreBatchTests.events().filter { $0.occurredAt <= until }.map { event in
                var unkeyed = event
                unkeyed.idempotencyKey = nil
                return unkeyed
            }
            try f.append("acme/app", earlier)
            try f.append(
                "acme/app",
                [
                    Seed.success(
                        "u-today", "today", at: until - 2 * Seed.hour, granted: ["openid", "read-billing"],
                        redirect: "https://t.hf.space/cb"),
                    Seed.failure("idp_error:server_error", at: until - Seed.hour, redirect: "https://t.hf.space/cb"),
                ])
            let since = until - 10 * Seed.day
            let settledRows = try f.reports.rows(spaces: spaces, since: since, until: until)
            let settledContexts = try f.reports.contexts(spaces: spaces, since: since, until: until)
            // Later the same day: the day is no longer settled as of `until`, nothing else changes.
            try f.append(
                "acme/app",
                [
                    Seed.success("u-late", "late", at: until + Seed.hour, granted: ["write-repos"], redirect: "https://late.hf.space/cb"),
                    Seed.failure("idp_error:late_error", at: until + 2 * Seed.hour),
                ])
            #expect(try f.reports.rows(spaces: spaces, since: since, until: until) == settledRows)
            #expect(try f.reports.contexts(spaces: spaces, since: since, until: until) == settledContexts)
            #expect(settledRows.daily.last?.day == RFC3339.startOfDay(until))
            let reference = ReportRows.from(events: f.appended, until: until)
            #expect(settledRows.daily == reference.daily.filter { $0.day >= RFC3339.startOfDay(since) })
            var context = SpaceContext(spaceID: spaces[0])
            context.observe(f.appended.filter { $0.occurredAt >= since && $0.occurredAt <= until })
            // Rule ids and counts: values first seen at the same instant may list in another order.
            #expect(
                settledContexts.first.map { Rules.evaluate($0).map { "\($0.ruleID) \($0.count)" } }
                    == Rules.evaluate(context).map { "\($0.ruleID) \($0.count)" })
            #expect(settledContexts.first?.providerErrors.contains { $0.value == "server_error" } == true)
        }
    }
}
