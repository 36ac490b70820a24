import AuditCore
import Foundation
import Testing

@testable import AuditPostgres

@Suite struct SpaceStoreTests {
    static let readme = """
        ---
        title: Chat
        hf_oauth: true
        hf_oauth_scopes:
          - read-repos
        ---
        body
        """

    @Test func addUpdateAndHistory() throws {
        try ReportFixture.with { f in
            let store = SpaceStore(pool: f.pool)
            let id = SpaceID("acme/Chat_App")!
            let metadata = try SpaceMetadata(readme: Self.readme)
            #expect(try store.save(id: id, host: id.defaultHost, callbacks: [], metadata: metadata) == .added)
            #expect(try store.save(id: id, host: id.defaultHost, callbacks: [], metadata: metadata) == .unchanged)
            // Only the README line numbers moved: not a change, but the new lines are kept.
            let shifted = try SpaceMetadata(readme: Self.readme.replacingOccurrences(of: "title: Chat", with: "title: Chat\nemoji: x"))
            #expect(try store.save(id: id, host: id.defaultHost, callbacks: [], metadata: shifted) == .unchanged)
            #expect(try store.get(id)?.metadata?.keyLines["hf_oauth"] == 4)
            var wider = shifted
            wider.scopes.append("write-repos")
            #expect(try store.save(id: id, host: id.defaultHost, callbacks: [], metadata: wider) == .updated)
            #expect(
                try store.save(id: id, host: id.defaultHost, callbacks: ["https://acme-chat-app.hf.space/cb"], metadata: wider) == .updated)
            let saved = try #require(try store.get(id))
            #expect(saved.host == "acme-chat-app.hf.space")
            #expect(saved.metadata == wider)
            #expect(saved.callbacks == ["https://acme-chat-app.hf.space/cb"])
            let history = try store.history(id)
            #expect(history.map(\.change) == [.added, .updated, .updated])
            #expect(
                history.map { $0.metadata?.scopes ?? [] } == [
                    ["read-repos"], ["read-repos", "write-repos"], ["read-repos", "write-repos"],
                ])
        }
    }

    @Test func removeKeepsHistoryAndListIsSorted() throws {
        try ReportFixture.with { f in
            let store = SpaceStore(pool: f.pool)
            for name in ["zeta/app", "Acme/b", "acme/a"] {
                try store.save(id: SpaceID(name)!, host: SpaceID(name)!.defaultHost, callbacks: [], metadata: nil)
            }
            #expect(try store.list().map(\.id.description) == ["acme/a", "Acme/b", "zeta/app"])
            #expect(try store.list().allSatisfy { $0.metadata == nil })
            #expect(try store.remove(id: SpaceID("acme/a")!))
            #expect(try !store.remove(id: SpaceID("acme/a")!))
            #expect(try store.list().map(\.id.description) == ["Acme/b", "zeta/app"])
            #expect(try store.history(SpaceID("acme/a")!).map(\.change) == [.added, .removed])
        }
    }
}
