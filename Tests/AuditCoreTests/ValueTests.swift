import Foundation
import Testing

@testable import AuditCore

@Suite("Values")
struct ValueTests {
    @Test(arguments: [
        ("acme/admin-console", "acme-admin-console.hf.space"), ("Acme_Labs/My.App", "acme-labs-my-app.hf.space"),
        ("osanseviero/i-like-flan", "osanseviero-i-like-flan.hf.space"),
    ])
    func spaceIDHost(id: String, host: String) {
        #expect(SpaceID(id)?.defaultHost == host)
    }

    @Test(arguments: ["", "acme", "acme/", "/x", "a/b/c", "a b/c", "acme/..", "ac me/x", "a/é", "a/" + String(repeating: "x", count: 97)])
    func spaceIDRejects(text: String) {
        #expect(SpaceID(text) == nil)
    }

    @Test func spaceIDLimitsAndCodable() throws {
        #expect(SpaceID(String(repeating: "a", count: 96) + "/x") != nil)
        let data = try JSONEncoder().encode([Fixture.space])
        #expect(String(decoding: data, as: UTF8.self) == "[\"acme\\/admin-console\"]")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([SpaceID].self, from: Data("[\"bad\"]".utf8)) }
    }

    @Test func scopeCatalogue() {
        #expect(Scope.named("manage-repos")?.risk == .critical && Scope.named("openid")?.risk == .low)
        #expect(Scope.named("read-billing")?.kind.needsOrgRestriction == true)
        #expect(Scope.named("read-repos")?.kind.needsOrgRestriction == false)
        #expect(Scope.named("nope") == nil && Scope.risk(of: "nope") == .high)
        #expect(Set(Scope.catalogue.map(\.name)).count == Scope.catalogue.count)
    }

    @Test(arguments: ["2026-08-22T12:00:00Z", "2024-02-29T23:59:59.000001Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z"])
    func rfc3339RoundTrip(text: String) {
        let d = RFC3339.parse(text)!
        let expected = text.replacingOccurrences(of: ".5Z", with: ".500000Z")
        #expect(RFC3339.format(d) == expected)
    }

    @Test func rfc3339Offsets() {
        #expect(RFC3339.parse("2026-08-22T14:00:00+02:00") == RFC3339.parse("2026-08-22T12:00:00Z"))
        #expect(RFC3339.parse("2026-08-22 12:00:00z") != nil)
        #expect(RFC3339.parse("2026-13-01T00:00:00Z") == nil && RFC3339.parse("2026-08-22T12:00:00") == nil)
        #expect(RFC3339.day(RFC3339.parse("2026-08-22T23:59:59.9Z")!) == "2026-08-22")
    }

    @Test func failureReasons() {
        #expect(FailureReason(rawValue: "idp_error:invalid_redirect_uri") == FailureReason(.idpError, detail: "invalid_redirect_uri"))
        #expect(FailureReason.idToken(.nonceMismatch).rawValue == "id_token_invalid:nonce_mismatch")
        #expect(FailureReason(rawValue: "bogus") == nil && FailureReason.Code.allCases.count == 11)
    }

    @Test func redirectURIParts() {
        let u = RedirectURI("HTTPS://user:pw@[::1]:8443/cb/?x=%2F&y=a+b#frag")
        #expect(u.scheme == "https" && u.userInfo == "user:pw" && u.host == "::1" && u.port == 8443 && u.path == "/cb/")
        #expect(u.fragment == "frag" && u.queryItems.map(\.value) == ["/", "a b"] && u.isLoopback)
        #expect(u.matchKey == "https://[::1]:8443/cb/")
    }

    @Test func observeAggregatesEvents() {
        var c = SpaceContext(spaceID: Fixture.space)
        let e1 = LoginEvent(
            eventID: "1", spaceID: Fixture.space, occurredAt: Fixture.ago(days: 2), event: .loginStarted,
            scopesRequested: ["openid", "email"], redirectURI: "https://x/cb")
        var e2 = e1
        e2.event = .loginSucceeded
        e2.occurredAt = Fixture.ago(days: 1)
        e2.orgs = ["acme"]
        let elsewhere = LoginEvent(eventID: "3", spaceID: Fixture.other, occurredAt: Fixture.now, event: .loginSucceeded)
        c.observe([e1, e2, elsewhere])
        #expect(c.signInCount == 1 && c.redirectURIs.first?.count == 2 && c.redirectURIs.first?.lastSeen == Fixture.ago(days: 1))
        #expect(c.scopesRequested.map(\.value) == ["openid", "email"] && c.orgsSeen.map(\.value) == ["acme"])
    }
}
