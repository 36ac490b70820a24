import Testing

@testable import AuditCore

@Suite("Rules S001–S004")
struct ScopeRuleTests {
    static func context(_ meta: SpaceMetadata?, requested: [String] = [], granted: [String] = []) -> SpaceContext {
        var c = RuleRun.deployed(metadata: meta)
        c.scopesRequested = requested.flatMap { RuleRun.seen($0) }
        c.scopesGranted = granted.flatMap { RuleRun.seen($0) }
        return c
    }

    // S001
    @Test func s001FiresForUndeclaredRequestedAndGranted() {
        let f = RuleRun.run(
            "S001",
            Self.context(
                SpaceMetadata(hfOAuth: true, scopes: ["email"]),
                requested: ["email", "read-repos"], granted: ["write-repos"]))
        #expect(f.map(\.seen) == ["scope 'read-repos' requested", "scope 'write-repos' granted"])
        #expect(f.allSatisfy { $0.severity == .warning })
    }

    @Test func s001NearMissImplicitOpenIDProfile() {
        let c = Self.context(
            SpaceMetadata(hfOAuth: true, scopes: ["email"]), requested: ["openid", "profile", "email"],
            granted: ["openid", "profile", "email"])
        #expect(RuleRun.run("S001", c).isEmpty)
        #expect(RuleRun.run("S001", Self.context(nil, requested: ["write-repos"])).isEmpty)  // no metadata
    }

    // S002
    @Test func s002FiresForUnknownAndUndocumented() {
        let f = RuleRun.run(
            "S002",
            Self.context(
                SpaceMetadata(hfOAuth: true, scopes: ["read-everything", "read-mcp"]),
                granted: ["read-everything", "admin"]))
        #expect(f.map(\.severity) == [.error, .warning, .error])
        #expect(f.map(\.seen).last == "scope 'admin' in a token grant")
    }

    @Test func s002NearMissWholeCatalogue() {
        let documented = Scope.catalogue.filter(\.documented).map(\.name)
        #expect(documented.count == 18)
        #expect(RuleRun.run("S002", Self.context(SpaceMetadata(hfOAuth: true, scopes: documented), granted: documented)).isEmpty)
    }

    // S003
    @Test(arguments: [
        "write-repos", "manage-repos", "read-billing", "inference-api", "jobs", "webhooks", "write-endpoints",
        "write-discussions", "write-collections", "contribute-repos",
    ])
    func s003Fires(scope: String) {
        let f = RuleRun.run("S003", Self.context(SpaceMetadata(hfOAuth: true, scopes: ["email", scope])))
        #expect(f.count == 1 && f[0].severity == .warning && f[0].seen.contains(scope))
    }

    @Test func s003NearMisses() {
        #expect(RuleRun.run("S003", Self.context(SpaceMetadata(hfOAuth: true, scopes: ["write-repos"], authorizedOrgs: ["acme"]))).isEmpty)
        #expect(
            RuleRun.run("S003", Self.context(SpaceMetadata(hfOAuth: true, scopes: ["email", "read-repos", "read-memberships"]))).isEmpty)
    }

    // S004
    @Test(arguments: [(0, Severity?.some(.error)), (1, nil), (480, nil), (481, .warning), (43200, .warning), (43201, .error), (-1, .error)])
    func s004Boundaries(minutes: Int, severity: Severity?) {
        let f = RuleRun.run("S004", Self.context(SpaceMetadata(hfOAuth: true, expirationMinutes: minutes)))
        #expect(f.map(\.severity) == (severity.map { [$0] } ?? []))
    }

    @Test func s004NearMissDefault() {
        #expect(RuleRun.run("S004", Self.context(SpaceMetadata(hfOAuth: true))).isEmpty)
    }

    @Test func evaluateSortsWorstFirst() {
        let f = Rules.evaluate(Self.context(SpaceMetadata(hfOAuth: true, scopes: ["write-repos"], expirationMinutes: 0)))
        #expect(f.map(\.ruleID) == ["S004", "S003"])
    }
}
