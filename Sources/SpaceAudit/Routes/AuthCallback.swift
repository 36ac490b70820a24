import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// The callback (`/login/callback`, `/auth/callback`): the provider sends the browser back here
/// with `code` and `state`, or with `error`.
extension AuthRoutes {
    /// Longest `state` looked at; ours are 43 characters.
    static let maximumStateLength = 512

    func callback(_ request: Request) throws -> Response {
        guard let relyingParty else { return Self.signInDisabledPage() }
        // 1. State, before anything else and before any outbound call. A callback carrying
        //    `error` is checked too, so nobody can write provider errors into the log by a link.
        guard let state = request.query("state"), !state.isEmpty else {
            return refuse(request, reason: AuthEventLog.reason(.stateMissing), status: 400, why: "The sign-in response carries no state.")
        }
        let secret = LoginCookie.secret(in: request, secure: secureCookies)
        let consumption: LoginAttemptStore.Consumption
        if state.utf8.count > Self.maximumStateLength {
            consumption = .unknown
        } else {
            do {
                consumption = try attempts.consume(stateHash: Crypto.sha256(state), now: clock()) { storedHash in
                    secret.map { Crypto.constantTimeEquals(Crypto.sha256($0), storedHash) } ?? false
                }
            } catch {
                log("auth: cannot check the login attempt: \(error)")
                return Self.unavailablePage()
            }
        }
        let attempt: LoginAttemptStore.Attempt
        switch consumption {
        case .accepted(let accepted):
            attempt = accepted
        case .unknown:
            return refuse(
                request, reason: AuthEventLog.reason(.stateMismatch), status: 400, why: "This sign-in response was not started here.")
        case .otherBrowser(let other):
            return refuse(
                request, reason: AuthEventLog.reason(.stateMismatch), status: 400,
                why: "This sign-in response belongs to a sign-in started in another browser.", attempt: other)
        case .reused:
            return refuse(request, reason: AuthEventLog.reason(.stateReused), status: 400, why: "This sign-in response was already used.")
        case .expired(let old):
            return refuse(
                request, reason: AuthEventLog.reason(.stateExpired), status: 400, why: "This sign-in took more than 10 minutes.",
                attempt: old)
        }
        guard let secret else { return Self.unavailablePage() }  // unreachable: .accepted implies a matching cookie

        // 2. The provider said no.
        if let providerError = request.query("error") {
            let error = OIDCError.idp(error: providerError)
            return refuse(
                request, reason: AuthEventLog.reason(for: error), status: 400,
                why: "The provider did not sign you in (\(error.subReason ?? "error")).", attempt: attempt,
                consumedOwnAttempt: true)
        }

        // 3. Code exchange, ID token, userinfo.
        let user: SignedInUser
        do throws(OIDCError) {
            user = try relyingParty.completeLogin(code: request.query("code") ?? "", state: state, browserSecret: secret)
        } catch {
            log("auth: sign-in failed: \(error.debugDescription)")
            let status = error.reason == .providerUnreachable ? 503 : 502
            return refuse(
                request, reason: AuthEventLog.reason(for: error), status: status,
                why: "The provider's answer could not be accepted (\(AuthEventLog.reason(for: error))).", attempt: attempt,
                consumedOwnAttempt: true)
        }
        let who = AuthEventLog.User(sub: user.sub, username: user.username, orgs: user.orgs.map(\.name))

        // 4. Admin decision.
        let decision = policy.decide(user)
        guard decision.isAuthorized else {
            events.record(
                .loginFailed, request: request, reason: AuthEventLog.reason(.notAuthorized), user: who,
                scopesRequested: user.scopesRequested, scopesGranted: user.scopesGranted, redirectURI: attempt.redirectURI)
            return notAuthorizedPage(user).settingCookie(LoginCookie.clearing(secure: secureCookies))
        }

        // 5. A new session, under a new id; any session this browser had ends.
        return try startSession(request, user: user, decision: decision, who: who, attempt: attempt)
    }

    private func startSession(
        _ request: Request, user: SignedInUser, decision: AdminDecision, who: AuthEventLog.User, attempt: LoginAttemptStore.Attempt
    ) throws -> Response {
        let now = clock()
        if let old = SessionCookie.value(in: request, secure: secureCookies), !old.isEmpty, old.utf8.count <= 128 {
            _ = try? sessionStore.end(idHash: Crypto.sha256(old), now: now)
        }
        let sessionID: String
        do { sessionID = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 32)) } catch {
            log("auth: no randomness for a session id: \(error)")
            return Self.unavailablePage()
        }
        let idHash = Crypto.sha256(sessionID)
        let orgs = user.orgs.map { ["name": $0.name, "role": $0.role ?? ""] }
        let orgsJSON =
            (try? JSONSerialization.data(withJSONObject: orgs, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        let session = SessionStore.NewSession(
            idHash: idHash, csrfHash: CSRFGuard.hash(CSRFGuard.token(sessionID: sessionID)), sub: user.sub,
            username: user.username ?? user.sub, orgsJSON: orgsJSON, isAdminAll: decision.isAdminAll,
            visibleOrgs: decision.visibleOrgs)
        do {
            try sessionStore.create(session, now: now, expiresAt: now.addingTimeInterval(sessionLifetime))
        } catch {
            log("auth: cannot store the session: \(error)")
            return Self.unavailablePage()
        }
        // A sign-in that cannot be recorded does not happen.
        guard
            events.record(
                .loginSucceeded, request: request, user: who, scopesRequested: user.scopesRequested,
                scopesGranted: user.scopesGranted, redirectURI: attempt.redirectURI)
        else {
            _ = try? sessionStore.end(idHash: idHash, now: now)
            return Self.unavailablePage()
        }
        return Response.redirect(to: attempt.returnTo ?? ReturnPath.fallback, status: 303)
            .settingCookie(SessionCookie.issuing(sessionID, secure: secureCookies, maxAge: Int(sessionLifetime)))
            .settingCookie(LoginCookie.clearing(secure: secureCookies))
            .withHeader("Cache-Control", "no-store")
    }

    /// Records `login_failed` with `reason` and answers with an explanatory page; no session.
    private func refuse(
        _ request: Request, reason: String, status: Int, why: String, attempt: LoginAttemptStore.Attempt? = nil,
        consumedOwnAttempt: Bool = false
    ) -> Response {
        events.record(
            .loginFailed, request: request, reason: reason, scopesRequested: attempt?.scopesRequested ?? config.scopes,
            redirectURI: attempt?.redirectURI)
        let page = AuthPage.response(
            status: status, title: "Sign-in failed",
            paragraphs: [why, "Nothing was signed in. Reason recorded: \(reason)."],
            link: AuthPage.Link(href: "/login", label: "Sign in again"))
        // The browser's secret is forgotten only once one of its own attempts was used up: a forged
        // or replayed callback must not break a sign-in this browser has in progress.
        return consumedOwnAttempt ? page.settingCookie(LoginCookie.clearing(secure: secureCookies)) : page
    }

    private func notAuthorizedPage(_ user: SignedInUser) -> Response {
        let name = user.username ?? user.sub
        var how = ["Ask an administrator to add your Hugging Face username to SPACEAUDIT_ADMINS"]
        if !config.adminOrgs.isEmpty {
            how.append("or to give you the admin or write role in one of these organizations: \(config.adminOrgs.joined(separator: ", "))")
        }
        return AuthPage.response(
            status: 403, title: "Not an administrator",
            paragraphs: [
                "You signed in to Hugging Face as \(name), but this account may not see the SpaceAudit dashboard.",
                how.joined(separator: " ") + ".",
                "This attempt was recorded.",
            ],
            link: AuthPage.Link(href: "https://huggingface.co/settings/connected-applications", label: "Manage connected applications"))
    }
}
