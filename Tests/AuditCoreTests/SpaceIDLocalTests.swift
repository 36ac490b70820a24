import Testing

@testable import AuditCore

@Suite("The service's own local id")
struct SpaceIDLocalTests {
    @Test func localIDsHostIsThePublicHostSoItIsNotDeployed() throws {
        let id = try #require(SpaceID("local/127.0.0.1"))
        #expect(id.defaultHost == "127.0.0.1")
        let context = SpaceContext(spaceID: id, host: nil, callbacks: [], metadata: nil)
        #expect(!context.deployed)
    }

    @Test func aRealSpaceKeepsItsHubHost() throws {
        #expect(try #require(SpaceID("acme/chat_app")).defaultHost == "acme-chat-app.hf.space")
    }
}
