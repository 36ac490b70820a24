import AuditCore
import Foundation
import Testing

@testable import SpaceAudit

@Suite struct SpacesHubListingTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("e2e/data/hub")

    @Test func recordedPageParses() throws {
        let body = try Array(Data(contentsOf: Self.data.appendingPathComponent("acme-page1.json")))
        let entries = try HubSpaceListing(json: body).entries
        #expect(entries.map(\.label) == ["acme/chat", "acme/legacy-login", "acme/broken-card"])
        let chat = try entries[0].result.get().1
        #expect(chat.hfOAuth && chat.scopes == ["read-repos", "inference-api"] && chat.scopesForm == .list)
        #expect(chat.expirationMinutes == 480 && chat.sdkVersion == "4.44.1" && chat.keyLines.isEmpty)
        let legacy = try entries[1].result.get().1
        #expect(legacy.scopes == ["openid", "profile", "read-repos"] && legacy.scopesForm == .string)
        #expect(legacy.redirectPath == "/auth/callback" && legacy.appPort == 7860)
        guard case .failure(let error) = entries[2].result else {
            Issue.record("a quoted \"480\" must be refused")
            return
        }
        #expect(error.description.contains("acme/broken-card") && error.description.contains("must be an integer"))
    }

    @Test func missingCardDataKeepsTheSDK() throws {
        let entries = try HubSpaceListing(
            json: Array(#"[{"id":"a/b","sdk":"static"},{"id":"bad"},{"x":1},{"id":"a/c","cardData":[1]}]"#.utf8)
        ).entries
        let plain = try entries[0].result.get().1
        #expect(!plain.hfOAuth && plain.sdk == "static")
        for entry in entries.dropFirst() {
            guard case .failure = entry.result else {
                Issue.record("\(entry.label) must fail")
                continue
            }
        }
        #expect(throws: (any Error).self) { try HubSpaceListing(json: Array(#"{"error":"x"}"#.utf8)) }
    }

    @Test func nextPageStaysOnTheSameOrigin() {
        let base = URL(string: "http://127.0.0.1:8080/api/spaces?author=acme&full=true")!
        #expect(
            HubSpaceListing.nextPage(linkHeader: #"</api/spaces?cursor=2>; rel="next""#, base: base)?.absoluteString
                == "http://127.0.0.1:8080/api/spaces?cursor=2")
        #expect(HubSpaceListing.nextPage(linkHeader: #"<https://evil.example/x>; rel="next""#, base: base) == nil)
        #expect(HubSpaceListing.nextPage(linkHeader: #"</a>; rel="prev""#, base: base) == nil)
        #expect(HubSpaceListing.nextPage(linkHeader: nil, base: base) == nil)
    }

    @Test func gitRemoteGivesTheSpaceID() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".git"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[remote \"origin\"]\n\turl = https://huggingface.co/spaces/acme/My.App.git\n".write(
            to: folder.appendingPathComponent(".git/config"), atomically: true, encoding: .utf8)
        #expect(SpacesImport.gitRemoteSpaceID(folder)?.description == "acme/My.App")
        #expect(SpacesImport.gitRemoteSpaceID(folder.appendingPathComponent("missing")) == nil)
    }

    @Test func addValidatesHostAndCallbacks() throws {
        let id = SpaceID("acme/Chat_App")!
        #expect(try SpacesAdd.host(nil, default: id) == "acme-chat-app.hf.space")
        #expect(try SpacesAdd.host("Chat.Example.com", default: id) == "chat.example.com")
        #expect(throws: UsageError.self) { try SpacesAdd.host("https://x.hf.space", default: id) }
        #expect(throws: UsageError.self) { try SpacesAdd.host("", default: id) }
        #expect(try SpacesAdd.callback("http://localhost:7860/cb") == "http://localhost:7860/cb")
        for bad in ["/cb", "ftp://x/cb", "https:///cb", "https://x.hf.space/a b"] {
            #expect(throws: UsageError.self) { try SpacesAdd.callback(bad) }
        }
    }
}
