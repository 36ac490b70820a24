import AuditHTTP
import Testing

@testable import SpaceAudit

@Suite("Auth: server-rendered pages")
struct AuthPageTests {
    @Test("all text is escaped, in text and attributes")
    func escaping() {
        #expect(AuthPage.escape("<b>\"x\" & 'y'</b>") == "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;")
        let response = AuthPage.response(
            status: 403, title: "<t>", paragraphs: ["<script>alert(1)</script>"],
            link: AuthPage.Link(href: "\"><script>", label: "<l>"))
        guard case .bytes(let bytes) = response.body else {
            Issue.record("expected a byte body")
            return
        }
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(response.status == 403)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("href=\"&quot;&gt;&lt;script&gt;\""))
        #expect(response.headers["Cache-Control"] == "no-store")
    }

    @Test("the sign-in-disabled page says which variables to set")
    func disabledPage() {
        guard case .bytes(let bytes) = AuthRoutes.signInDisabledPage().body else { return }
        #expect(String(decoding: bytes, as: UTF8.self).contains("set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true)"))
    }
}
