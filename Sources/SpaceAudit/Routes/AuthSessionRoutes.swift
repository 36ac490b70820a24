import AuditCore
import AuditHTTP
import AuditOIDC
import Foundation

/// `GET /api/v1/me` (who is signed in, and the CSRF token) and `POST /logout`.
extension AuthRoutes {
    struct MeUser: Encodable {
        let sub: String
        let username: String
        let isAdminAll: Bool
        let visibleOrgs: [String]

        enum CodingKeys: String, CodingKey {
            case sub, username
            case isAdminAll = "is_admin_all"
            case visibleOrgs = "visible_orgs"
        }
    }

    struct MeBody: Encodable {
        let signedIn: Bool
        let signInEnabled: Bool
        let loginURL: String
        let user: MeUser?
        let csrfToken: String?
        let sessionExpiresAt: String?
        let idleTimeoutSeconds: Int?
        let signInHelp: String?
        let error: ErrorBody?

        enum CodingKeys: String, CodingKey {
            case signedIn = "signed_in"
            case signInEnabled = "sign_in_enabled"
            case loginURL = "login_url"
            case user
            case csrfToken = "csrf_token"
            case sessionExpiresAt = "session_expires_at"
            case idleTimeoutSeconds = "idle_timeout_seconds"
            case signInHelp = "sign_in_help"
            case error
        }
    }

    struct ErrorBody: Encodable {
        let code: String
        let message: String
    }

    static let signInHelp = "Sign-in is not enabled: set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true)."

    /// 200 with the viewer and `csrf_token`; otherwise 401 `not_signed_in`, still saying whether
    /// sign-in is enabled so the sign-in page can explain how to enable it.
    func me(_ request: Request) throws -> Response {
        let enabled = relyingParty != nil
        if let session = try sessions.resolve(request) {
            let body = MeBody(
                signedIn: true, signInEnabled: enabled, loginURL: "/login",
                user: MeUser(
                    sub: session.viewer.sub, username: session.viewer.username, isAdminAll: session.viewer.isAdminAll,
                    visibleOrgs: session.viewer.visibleOrgs),
                csrfToken: session.csrfToken, sessionExpiresAt: RFC3339.format(session.record.expiresAt),
                idleTimeoutSeconds: Int(sessions.idleTimeout), signInHelp: nil, error: nil)
            return try Response.json(body).withHeader("Cache-Control", "no-store")
        }
        let body = MeBody(
            signedIn: false, signInEnabled: enabled, loginURL: "/login", user: nil, csrfToken: nil, sessionExpiresAt: nil,
            idleTimeoutSeconds: nil, signInHelp: enabled ? nil : Self.signInHelp,
            error: ErrorBody(code: "not_signed_in", message: enabled ? "sign in to use this API" : Self.signInHelp))
        var response = try Response.json(body, status: 401).withHeader("Cache-Control", "no-store")
        if SessionCookie.value(in: request, secure: secureCookies) != nil {
            response.setCookie(SessionCookie.clearing(secure: secureCookies))
        }
        return response
    }

    /// Ends the session. CSRF-protected (CSRFGuard). A `fetch` with `X-CSRF-Token` gets JSON; a
    /// plain form post is sent to the sign-in page.
    func logout(_ request: Request) throws -> Response {
        let session = try sessions.session(for: request)
        try csrf.check(request, expectedHash: session.record.csrfHash)
        if try sessionStore.end(idHash: session.idHash, now: clock()) != nil {
            events.record(.logout, request: request, user: .init(sub: session.viewer.sub, username: session.viewer.username))
        }
        let response: Response =
            request.header(CSRFGuard.headerName) != nil
            ? try Response.json(["signed_out": true])
            : Response.redirect(to: "/signin.html", status: 303)
        return response.settingCookie(SessionCookie.clearing(secure: secureCookies)).withHeader("Cache-Control", "no-store")
    }
}
