import Foundation
import Testing

@testable import AuditCore

@Suite("Front matter")
struct FrontMatterTests {
    @Test func scopesAsList() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("scopes-list.md"))
        #expect(m.hfOAuth)
        #expect(m.scopes == ["email", "read-memberships"])
        #expect(m.scopesForm == .list)
        #expect(m.authorizedOrgs == ["my-company", "other-org"])
        #expect(m.expirationMinutes == 60)
        #expect(m.appPort == 8080)
        #expect(m.sdk == "docker")
        #expect(m.title == "Admin Console")
        #expect(m.keyLines["hf_oauth_scopes"] == 8)
    }

    @Test func scopesAsLegacyString() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("scopes-string.md"))
        #expect(m.scopes == ["read-repos", "write-repos"])
        #expect(m.scopesForm == .string)
        #expect(m.authorizedOrgs == ["my-company"])
        #expect(m.sdkVersion == "4.10")  // kept verbatim, not the float 4.1
    }

    @Test func unknownScopeIsKeptForTheRules() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("unknown-scope.md"))
        #expect(m.scopes == ["email", "read-everything"])
    }

    @Test func byteOrderMark() throws {
        let bytes = try Fixture.bytes("bom.md")
        #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        let m = try SpaceMetadata(frontMatter: FrontMatter.parse(readme: bytes))
        #expect(m.title == "BOM")
        #expect(m.hfOAuth)
    }

    @Test func crlfLineEnds() throws {
        let m = try SpaceMetadata(frontMatter: FrontMatter.parse(readme: Fixture.bytes("crlf.md")))
        #expect(m.title == "CRLF")
        #expect(m.expirationMinutes == 481)
        #expect(m.scopes == ["email"])
        #expect(m.keyLines["hf_oauth_expiration_minutes"] == 4)
    }

    @Test func commentsAndFlowLists() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("comments.md"))
        #expect(m.title == "With comments")
        #expect(m.hfOAuth)
        #expect(m.scopes == ["email", "inference-api"])
    }

    @Test func quotedValues() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("quoted.md"))
        #expect(m.title == "Quoted: title")
        #expect(m.sdk == "docker")
        #expect(m.sdkVersion == "5.0.1")
        #expect(m.redirectPath == "/custom/callback")
    }

    @Test func laterDashesBelongToTheBody() throws {
        let fm = try FrontMatter.parse(readme: Fixture.frontMatter("body-dashes.md"))
        #expect(try fm.bool("hf_oauth") == true)
        #expect(fm.yaml == "title: Body with rules\nhf_oauth: true")
    }

    @Test func hfOAuthAbsentMeansFalse() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("no-oauth.md"))
        #expect(!m.hfOAuth)
        #expect(m.scopes.isEmpty && m.scopesForm == .absent && m.expirationMinutes == nil)
    }

    @Test func emptyBlockIsAnEmptyMapping() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("empty.md"))
        #expect(m == SpaceMetadata())
    }

    @Test(arguments: [
        ("unterminated.md", FrontMatterError.Kind.unterminated, 1, "unterminated front matter"),
        ("no-front-matter.md", .noFrontMatter, 1, "no front matter"),
        ("invalid-yaml.md", .invalidYAML, 5, "invalid YAML"),
        ("wrong-type-expiration.md", .wrongType, 4, "hf_oauth_expiration_minutes must be an integer, got 'abc'"),
        ("wrong-type-oauth.md", .wrongType, 2, "hf_oauth must be true or false, got 'yes'"),
    ])
    func errors(file: String, kind: FrontMatterError.Kind, line: Int, message: String) throws {
        let text = try Fixture.frontMatter(file)
        let error = #expect(throws: FrontMatterError.self) { try SpaceMetadata(readme: text) }
        #expect(error?.kind == kind)
        #expect(error?.line == line)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [(0, 0), (1, 1), (480, 480), (481, 481), (43200, 43200), (43201, 43201), (-5, -5)])
    func expirationValues(raw: Int, parsed: Int) throws {
        let m = try SpaceMetadata(readme: "---\nhf_oauth: true\nhf_oauth_expiration_minutes: \(raw)\n---\n")
        #expect(m.expirationMinutes == parsed)
    }

    @Test(arguments: [
        ("hf_oauth_expiration_minutes: \"480\"", "hf_oauth_expiration_minutes must be an integer, got '480'"),
        ("hf_oauth_expiration_minutes: 4.5", "hf_oauth_expiration_minutes must be an integer, got '4.5'"),
        ("hf_oauth: \"true\"", "hf_oauth must be true or false, got 'true'"),
        ("hf_oauth_scopes: {email: true}", "hf_oauth_scopes must be a string or a list of strings, got a mapping"),
        ("hf_oauth_authorized_org: [[a]]", "hf_oauth_authorized_org must be a list of strings, got a list as an item"),
        ("title: [a, b]", "title must be a string, got a list"),
        ("app_port: http", "app_port must be an integer, got 'http'"),
    ])
    func wrongTypes(yaml: String, message: String) {
        let error = #expect(throws: FrontMatterError.self) { try SpaceMetadata(readme: "---\nsdk: docker\n\(yaml)\n---\n") }
        #expect(error?.message == message)
        #expect(error?.line == 3)
    }

    @Test func rootMustBeAMapping() {
        let error = #expect(throws: FrontMatterError.self) { try FrontMatter.parse(readme: "---\n- a\n- b\n---\n") }
        #expect(error?.kind == .notAMapping)
    }

    @Test func anchorsAndNullsAndTrailingSpacesOnDelimiter() throws {
        let m = try SpaceMetadata(readme: "---  \ntitle: ~\nhf_oauth: &on true\nsdk: null\n---\t\n")
        #expect(m.title == nil && m.sdk == nil && m.hfOAuth)
    }

    @Test func metadataRoundTripsThroughJSON() throws {
        let m = try SpaceMetadata(readme: Fixture.frontMatter("scopes-list.md"))
        let data = try JSONEncoder().encode(m)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"hf_oauth_scopes\""))
        #expect(try JSONDecoder().decode(SpaceMetadata.self, from: data) == m)
    }
}
