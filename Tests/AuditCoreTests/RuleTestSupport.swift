import Foundation

@testable import AuditCore

/// Helpers shared by the rule suites: every test runs one rule by id on a context.
enum RuleRun {
    static func run(_ id: String, _ c: SpaceContext) -> [Finding] {
        Rules.all.first { $0.id == id }!.check(c)
    }

    static func seen(_ values: String..., count: Int = 1) -> [ObservedValue] {
        values.map { ObservedValue($0, count: count, firstSeen: Fixture.ago(days: 3), lastSeen: Fixture.ago(days: 1)) }
    }

    /// A deployed Space (`acme/admin-console` on its own hf.space host).
    static func deployed(callbacks: [String] = [], redirects: [String] = [], metadata: SpaceMetadata? = nil) -> SpaceContext {
        SpaceContext(
            spaceID: Fixture.space, callbacks: callbacks, metadata: metadata,
            redirectURIs: redirects.map { ObservedValue($0, count: 2, firstSeen: Fixture.ago(days: 3), lastSeen: Fixture.ago(days: 1)) })
    }

    /// The same Space being developed on a laptop.
    static func local(callbacks: [String] = [], redirects: [String] = []) -> SpaceContext {
        SpaceContext(
            spaceID: Fixture.space, host: "localhost", callbacks: callbacks,
            redirectURIs: redirects.map { ObservedValue($0, firstSeen: Fixture.ago(days: 1)) })
    }

    static let own = "https://acme-admin-console.hf.space"
}
