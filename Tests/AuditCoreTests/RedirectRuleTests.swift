import Testing

@testable import AuditCore

@Suite("Rules R001–R003")
struct RedirectRuleTests {
    // R001
    @Test func r001FiresOnHTTPRegisteredCallback() {
        let f = RuleRun.run("R001", RuleRun.deployed(callbacks: ["http://acme-admin-console.hf.space/login/callback"]))
        #expect(f.count == 1 && f[0].severity == .error)
        #expect(f[0].expected == "https://acme-admin-console.hf.space/login/callback")
    }

    @Test func r001FiresOnSeenHTTPRedirectWithCounts() {
        let f = RuleRun.run("R001", RuleRun.deployed(redirects: ["http://acme-admin-console.hf.space/login/callback?_target_url=/"]))
        #expect(f.count == 1 && f[0].severity == .error && f[0].count == 2 && f[0].firstSeen == Fixture.ago(days: 3))
    }

    @Test func r001IsInfoForLoopbackOnUndeployedSpace() {
        let f = RuleRun.run("R001", RuleRun.local(callbacks: ["http://localhost:7860/login/callback"]))
        #expect(f.map(\.severity) == [.info])
    }

    @Test func r001NearMissHTTPS() {
        #expect(
            RuleRun.run("R001", RuleRun.deployed(callbacks: [RuleRun.own + "/login/callback"], redirects: [RuleRun.own + "/auth/callback"]))
                .isEmpty)
    }

    @Test func r001LeavesDeployedLoopbackToR004() {
        #expect(RuleRun.run("R001", RuleRun.deployed(redirects: ["http://127.0.0.1:7860/login/callback"])).isEmpty)
        #expect(RuleRun.run("R004", RuleRun.deployed(redirects: ["http://127.0.0.1:7860/login/callback"])).count == 1)
    }

    // R002
    @Test(arguments: [
        ("https://huggingface.co/spaces/acme/admin-console/login/callback", Severity.error, "Hub page URL"),
        ("https://acme-old-console.hf.space/login/callback", .error, "another Space's host"),
        ("https://console.acme.com/login/callback", .warning, "custom domain"),
    ])
    func r002Fires(uri: String, severity: Severity, label: String) {
        let f = RuleRun.run("R002", RuleRun.deployed(callbacks: [uri]))
        #expect(f.count == 1 && f[0].severity == severity && f[0].seen.contains(label))
        #expect(f[0].expected.hasPrefix(RuleRun.own))
    }

    @Test func r002NearMissOwnHostInAnyCase() {
        #expect(
            RuleRun.run("R002", RuleRun.deployed(callbacks: ["https://ACME-Admin-Console.hf.space/oauth/huggingface/callback"])).isEmpty)
    }

    @Test func r002NearMissLocalDevelopment() {
        #expect(RuleRun.run("R002", RuleRun.local(callbacks: ["http://localhost:7860/login/callback"])).isEmpty)
    }

    @Test func r002ExpectsDerivedHostEvenForUnderscoresAndDots() {
        let c = SpaceContext(spaceID: Fixture.other, callbacks: ["https://acme-other-app-v2.hf.space/login/callback"])
        #expect(c.ownHost == "acme-other-app-v2.hf.space")
        #expect(RuleRun.run("R002", c).isEmpty)
    }

    // R003
    @Test(arguments: [
        (RuleRun.own + "/login/callback/", "trailing-slash drift"),
        (RuleRun.own + "/Login/Callback", "letter-case drift"),
        (RuleRun.own + "/auth/callback", "no registered callback matches"),
    ])
    func r003FiresOnDrift(seen: String, label: String) {
        let f = RuleRun.run("R003", RuleRun.deployed(callbacks: [RuleRun.own + "/login/callback"], redirects: [seen]))
        #expect(f.count == 1 && f[0].severity == .warning && f[0].seen.contains(label), "\(f)")
        #expect(f[0].count == 2)
    }

    @Test func r003NearMissQueryIsIgnoredAndHostCaseInsensitive() {
        let c = RuleRun.deployed(
            callbacks: [RuleRun.own + "/login/callback"],
            redirects: ["https://ACME-admin-console.hf.space:443/login/callback?_target_url=%2F&_nb_redirects=1"])
        #expect(RuleRun.run("R003", c).isEmpty)
    }

    @Test func r003LoopbackRegistrationAcceptsAnyPort() {
        let c = RuleRun.local(callbacks: ["http://localhost/callback"], redirects: ["http://localhost:53121/callback"])
        #expect(RuleRun.run("R003", c).isEmpty)
        let other = RuleRun.local(callbacks: ["http://localhost/callback"], redirects: ["http://127.0.0.1:53121/callback"])
        #expect(RuleRun.run("R003", other).count == 1)  // loopback hosts are matched individually
    }

    @Test func r003WithoutRegistryFlagsSeveralDistinctURIs() {
        let f = RuleRun.run("R003", RuleRun.deployed(redirects: [RuleRun.own + "/login/callback?a=1", RuleRun.own + "/auth/callback"]))
        #expect(f.count == 1 && f[0].severity == .info && f[0].count == 4 && f[0].seen.hasPrefix("2 distinct"))
    }

    @Test func r003WithoutRegistryNearMissSameURIWithDifferentQueries() {
        let c = RuleRun.deployed(redirects: [
            RuleRun.own + "/login/callback?_target_url=/a", RuleRun.own + "/login/callback?_target_url=/b",
        ])
        #expect(RuleRun.run("R003", c).isEmpty)
    }
}
