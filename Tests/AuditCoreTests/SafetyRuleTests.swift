import Foundation
import Testing

@testable import AuditCore

@Suite("Rules R004–R008")
struct SafetyRuleTests {
    // R004
    @Test(arguments: [
        "http://localhost:7860/login/callback", "http://127.0.0.1/cb", "https://[::1]:8443/cb",
        "https://192.168.1.20/cb", "https://10.0.0.5/cb", "https://172.20.1.1/cb", "https://nas.local/cb",
    ])
    func r004FiresOnDeployedSpace(uri: String) {
        let f = RuleRun.run("R004", RuleRun.deployed(redirects: [uri]))
        #expect(f.count == 1 && f[0].severity == .error && f[0].count == 2)
    }

    @Test func r004NearMissUndeployedSpace() {
        #expect(RuleRun.run("R004", RuleRun.local(redirects: ["http://localhost:7860/login/callback"])).isEmpty)
    }

    @Test func r004NearMissPublicLookalikes() {
        let c = RuleRun.deployed(redirects: ["https://172.32.0.1/cb", "https://localhost.example.com/cb", "https://11.0.0.1/cb"])
        #expect(RuleRun.run("R004", c).isEmpty)
    }

    // R005
    @Test(arguments: [
        (RuleRun.own + "/login/callback#done", "fragment"),
        ("https://evil@acme-admin-console.hf.space/login/callback", "user-info"),
        (RuleRun.own + "/login/callback?_target_url=https%3A%2F%2Fevil.example%2F", "_target_url=https://evil.example/"),
        (RuleRun.own + "/login/callback?next=//evil.example", "next=//evil.example"),
        (RuleRun.own + "/cb?return_to=%2F%5Cevil.example", "return_to=/\\evil.example"),
        (RuleRun.own + "/cb?url=javascript:alert(1)", "url=javascript:alert(1)"),
    ])
    func r005Fires(uri: String, label: String) {
        let f = RuleRun.run("R005", RuleRun.deployed(redirects: [uri]))
        #expect(f.count == 1 && f[0].severity == .error && f[0].seen.contains(label), "\(f)")
    }

    @Test func r005NearMissLocalTargetsAndOwnHost() {
        let c = RuleRun.deployed(
            callbacks: [RuleRun.own + "/login/callback"],
            redirects: [
                RuleRun.own + "/login/callback?_target_url=%2F%3Ftab%3D2",
                RuleRun.own + "/login/callback?next=" + RuleRun.own + "/page",
                RuleRun.own + "/login/callback?state=https://evil.example",  // not a return parameter
            ])
        #expect(RuleRun.run("R005", c).isEmpty)
    }

    // R008
    @Test func r008FiresOnRedirectURIErrors() {
        var c = RuleRun.deployed()
        c.providerErrors = RuleRun.seen("invalid_redirect_uri", count: 5) + RuleRun.seen("redirect_uri_mismatch")
        let f = RuleRun.run("R008", c)
        #expect(f.map(\.count) == [5, 1] && f.allSatisfy { $0.severity == .error })
    }

    @Test func r008NearMissOtherProviderErrors() {
        var c = RuleRun.deployed()
        c.providerErrors = RuleRun.seen("access_denied", "invalid_scope", "invalid_client")
        #expect(RuleRun.run("R008", c).isEmpty)
    }

    @Test func r008FromRawEvents() {
        var c = RuleRun.deployed()
        let fail = LoginEvent(
            eventID: "e1", spaceID: Fixture.space, occurredAt: Fixture.ago(days: 1), event: .loginFailed,
            outcome: .failure, reason: FailureReason(.idpError, detail: "invalid_redirect_uri").rawValue)
        let state = LoginEvent(
            eventID: "e2", spaceID: Fixture.space, occurredAt: Fixture.ago(days: 1), event: .loginFailed,
            outcome: .failure, reason: "state_mismatch")
        c.observe([fail, fail, state])
        #expect(c.providerErrors.map(\.value) == ["invalid_redirect_uri"])
        #expect(RuleRun.run("R008", c).first?.count == 2)
    }
}

@Suite("Rules R006–R007")
struct MetadataRuleTests {
    @Test func r006WarnsOnLegacyPath() {
        let f = RuleRun.run(
            "R006",
            RuleRun.deployed(
                metadata: SpaceMetadata(
                    hfOAuth: true, redirectPath: "/custom/callback",
                    keyLines: ["hf_oauth_redirect_path": 6])))
        #expect(f.count == 1 && f[0].severity == .warning && f[0].seen.contains("README line 6"))
    }

    @Test(arguments: ["custom/callback", "https://x.hf.space/cb", "//evil.example/cb"])
    func r006ErrorsOnNonPath(path: String) {
        let f = RuleRun.run("R006", RuleRun.deployed(metadata: SpaceMetadata(hfOAuth: true, redirectPath: path)))
        #expect(f.map(\.severity) == [.error])
    }

    @Test func r006NearMissKeyAbsent() {
        #expect(RuleRun.run("R006", RuleRun.deployed(metadata: SpaceMetadata(hfOAuth: true))).isEmpty)
    }

    @Test func r007FiresWhenSignInsButNoHFOAuth() {
        var c = RuleRun.deployed(metadata: SpaceMetadata(hfOAuth: false))
        c.signInCount = 3
        c.firstSignIn = Fixture.ago(days: 2)
        let f = RuleRun.run("R007", c)
        #expect(f.count == 1 && f[0].severity == .warning && f[0].count == 3 && f[0].firstSeen == Fixture.ago(days: 2))
    }

    @Test func r007NearMisses() {
        var on = RuleRun.deployed(metadata: SpaceMetadata(hfOAuth: true))
        on.signInCount = 3
        #expect(RuleRun.run("R007", on).isEmpty)
        #expect(RuleRun.run("R007", RuleRun.deployed(metadata: SpaceMetadata(hfOAuth: false))).isEmpty)  // no sign-ins
        var unknown = RuleRun.deployed(metadata: nil)
        unknown.signInCount = 3
        #expect(RuleRun.run("R007", unknown).isEmpty)  // no README registered: do not guess
    }
}
