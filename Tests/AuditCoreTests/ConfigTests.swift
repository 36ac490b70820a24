import Testing

@testable import AuditCore

@Suite("Config")
struct ConfigTests {
    @Test func defaultsOutsideASpace() throws {
        let c = try Config.parse(environment: [:])
        #expect(!c.signInEnabled && !c.inSpace)
        #expect(c.scopes == ["openid", "profile"])
        #expect(c.providerURL == "https://huggingface.co")
        #expect(c.publicURL == "http://127.0.0.1:7860" && c.bindAddress == "127.0.0.1" && c.port == 7860)
        #expect(c.sessionHours == 8 && c.dataDir == "./.spaceaudit" && c.metricsPublic && c.databaseURL == nil)
        #expect(c.serviceSpaceID.description == "local/127.0.0.1")
    }

    @Test func insideASpace() throws {
        let c = try Config.parse(environment: [
            "SPACE_ID": "acme/admin-console", "SPACE_HOST": "acme-admin-console.hf.space,console.acme.com",
            "OAUTH_CLIENT_ID": "cid", "OAUTH_CLIENT_SECRET": "s3cret", "SPACEAUDIT_ADMIN_ORGS": "acme, other-org",
            "SPACEAUDIT_ADMINS": "ada bob", "PORT": "8080",
        ])
        #expect(c.signInEnabled && c.inSpace)
        #expect(
            c.publicURL == "https://acme-admin-console.hf.space" && c.callbackURL == "https://acme-admin-console.hf.space/login/callback")
        #expect(c.bindAddress == "0.0.0.0" && c.port == 8080)
        #expect(c.scopes == ["openid", "profile", "read-memberships"])
        #expect(c.adminOrgs == ["acme", "other-org"] && c.admins == ["ada", "bob"])
        #expect(c.serviceSpaceID == Fixture.space)
        #expect(!c.description.contains("s3cret"))
    }

    @Test func overridesWinAndEmptyMeansUnset() throws {
        let c = try Config.parse(
            environment: ["PORT": "9000", "SPACEAUDIT_PUBLIC_URL": "", "DATABASE_URL": " "],
            overrides: ["PORT": "9100", "SPACEAUDIT_PUBLIC_URL": "https://audit.example.com/"])
        #expect(c.port == 9100 && c.publicURL == "https://audit.example.com" && c.databaseURL == nil)
        #expect(c.serviceSpaceID.description == "local/audit.example.com")
    }

    @Test func allErrorsAtOnceWithoutEchoingTheSecret() {
        let error = #expect(throws: ConfigError.self) {
            try Config.parse(environment: [
                "OAUTH_CLIENT_SECRET": "hunter2-secret", "PORT": "99999", "SPACEAUDIT_SESSION_HOURS": "zero",
                "OPENID_PROVIDER_URL": "http://idp.example.com", "SPACE_ID": "not a space", "SPACEAUDIT_METRICS_PUBLIC": "maybe",
                "SPACEAUDIT_PUBLIC_URL": "ftp://x", "OAUTH_SCOPES": "profile email", "SPACEAUDIT_ADMINS": "ok,bad/name",
            ])
        }
        let problems = error?.problems ?? []
        #expect(problems.count == 9, "\(problems)")
        for needle in [
            "OAUTH_CLIENT_SECRET is set but OAUTH_CLIENT_ID is not", "PORT must be an integer in 1…65535, got '99999'",
            "SPACEAUDIT_SESSION_HOURS", "OPENID_PROVIDER_URL must use https", "SPACE_ID 'not a space'",
            "SPACEAUDIT_METRICS_PUBLIC must be true or false", "SPACEAUDIT_PUBLIC_URL must be an http(s) URL",
            "OAUTH_SCOPES must include openid", "SPACEAUDIT_ADMINS entry 'bad/name'",
        ] {
            #expect(problems.contains { $0.contains(needle) }, "\(needle)")
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("hunter2") == false && text.hasPrefix("9 configuration errors"))
    }

    @Test func onlyClientIDIsAnError() {
        let error = #expect(throws: ConfigError.self) { try Config.parse(environment: ["OAUTH_CLIENT_ID": "cid"]) }
        #expect(
            error?.problems == [
                "OAUTH_CLIENT_ID is set but OAUTH_CLIENT_SECRET is not: set both to enable sign-in, or neither to run without it"
            ])
    }

    @Test func loopbackProviderAllowedAndWarnings() throws {
        let c = try Config.parse(environment: [
            "OPENID_PROVIDER_URL": "http://127.0.0.1:9999/", "OAUTH_SCOPES": "openid profile",
            "SPACEAUDIT_ADMIN_ORGS": "acme",
        ])
        #expect(c.providerURL == "http://127.0.0.1:9999")
        #expect(c.scopes == ["openid", "profile"] && c.warnings.count == 1)
    }
}
