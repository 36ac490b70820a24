import Testing

@testable import SpaceAudit

@Suite("Auth: return_to keeps local paths only")
struct AuthReturnPathTests {
    @Test("every payload of Tests/e2e/data/open_redirects.txt is dropped")
    func payloadsAreDropped() throws {
        let payloads = try AuthTestSupport.openRedirectPayloads()
        #expect(payloads.count > 40)
        #expect(payloads.contains("/\\evil.example"))  // the file's escapes decode as intended
        #expect(payloads.contains("/\t/evil.example"))
        for payload in payloads {
            #expect(ReturnPath.sanitize(payload) == nil, "kept \(payload.debugDescription)")
        }
    }

    @Test(
        "local paths are kept as given",
        arguments: ["/", "/spaces/acme/app", "/spaces/acme/app?tab=events&page=2", "/spaces?q=%2Fok", "/a/b#events", "/loginx"])
    func localPathsAreKept(path: String) {
        #expect(ReturnPath.sanitize(path) == path)
    }

    @Test("nil, empty and oversized values are dropped")
    func edgeValues() {
        #expect(ReturnPath.sanitize(nil) == nil)
        #expect(ReturnPath.sanitize("") == nil)
        #expect(ReturnPath.sanitize("/" + String(repeating: "a", count: ReturnPath.maximumLength)) == nil)
    }
}
