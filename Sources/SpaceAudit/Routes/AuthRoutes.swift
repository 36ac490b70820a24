import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// The admin sign-in (product.md §3): `GET /login`, the callback on `/login/callback` and
/// `/auth/callback`, `POST /logout` and `GET /api/v1/me`.
///
/// Order of checks at the callback: state (single use, unexpired, same browser) before any call
/// to the provider; then code exchange, ID token and userinfo (AuditOIDC.RelyingParty); then the
/// admin decision (AuditOIDC.AdminPolicy); then a fresh server-side session. Every attempt is
/// recorded with a reason code (AuthEventLog).
struct AuthRoutes: Sendable {
    /// State, nonce and PKCE verifier live this long (product.md §3).
    static let attemptLifetime: TimeInterval = TimeInterval(LoginCookie.lifetimeSeconds)
    /// Attempts are kept a day past expiry so a late callback is told `state_expired`, not
    /// `state_mismatch`; then they are deleted.
    static let attemptRetention: TimeInterval = 24 * 3600

    let config: Config
    let attempts: LoginAttemptStore
    let sessionStore: SessionStore
    let sessions: SessionResolver
    let events: AuthEventLog
    /// Nil when OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET are unset: sign-in is disabled.
    let relyingParty: RelyingParty?
    let policy: AdminPolicy
    let csrf: CSRFGuard
    let clock: @Sendable () -> Date
    let log: @Sendable (String) -> Void

    var secureCookies: Bool { sessions.secureCookies }
    var sessionLifetime: TimeInterval { TimeInterval(config.sessionHours) * 3600 }

    init(
        config: Config, pool: ConnectionPool, sessions: SessionResolver, events: AuthEventLog,
        clock: @escaping @Sendable () -> Date, log: @escaping @Sendable (String) -> Void,
        http: any HTTPClient = URLSessionHTTPClient()
    ) {
        self.config = config
        self.attempts = LoginAttemptStore(pool: pool)
        self.sessionStore = SessionStore(pool: pool)
        self.sessions = sessions
        self.events = events
        self.clock = clock
        self.log = log
        self.policy = AdminPolicy(admins: Set(config.admins), adminOrgs: Set(config.adminOrgs))
        self.csrf = CSRFGuard(publicURL: config.publicURL, spaceHosts: config.spaceHosts)
        if let clientID = config.clientID, let clientSecret = config.clientSecret {
            // Nothing is fetched here: discovery and JWKS load on first use, so an unreachable
            // provider never stops `serve` from starting.
            relyingParty = RelyingParty(
                configuration: RelyingPartyConfiguration(
                    issuer: config.providerURL, clientID: clientID, clientSecret: clientSecret,
                    redirectURI: config.callbackURL, scopes: config.scopes),
                http: http, clock: clock)
        } else {
            relyingParty = nil
        }
    }

    func register(on router: inout Router) {
        router.get("/login") { request in try login(request) }
        router.get("/login/callback") { request in try callback(request) }
        router.get("/auth/callback") { request in try callback(request) }
        router.post("/logout", maxBodyBytes: 4096) { request in try logout(request) }
        router.get("/api/v1/me") { request in try me(request) }
    }

    // MARK: GET /login

    func login(_ request: Request) throws -> Response {
        guard let relyingParty else { return Self.signInDisabledPage() }
        let returnTo = ReturnPath.sanitize(request.query("return_to"))
        // One secret per browser for the cookie's lifetime, so two tabs signing in at once both work.
        let secret: [UInt8]
        if let existing = LoginCookie.secret(in: request, secure: secureCookies) {
            secret = existing
        } else {
            do { secret = try AuthorizationRequest.newBrowserSecret() } catch {
                log("auth: no randomness for a browser secret: \(error)")
                return Self.unavailablePage()
            }
        }
        let authorization: AuthorizationRequest
        do throws(OIDCError) {
            authorization = try relyingParty.startLogin(browserSecret: secret)
        } catch {
            log("auth: /login refused: \(error.debugDescription)")
            events.record(
                .loginFailed, request: request, reason: AuthEventLog.reason(for: error), scopesRequested: config.scopes)
            return providerTroublePage(error)
        }
        let now = clock()
        let attempt = LoginAttemptStore.Attempt(
            stateHash: Crypto.sha256(authorization.state), browserHash: Crypto.sha256(secret), returnTo: returnTo,
            redirectURI: authorization.redirectURI, scopesRequested: authorization.scopes)
        do {
            try attempts.insert(attempt, createdAt: now, expiresAt: now.addingTimeInterval(Self.attemptLifetime))
        } catch {
            log("auth: cannot store the login attempt: \(error)")
            return Self.unavailablePage()
        }
        // No unrecorded sign-ins: if the audit log cannot take the event, the sign-in stops here.
        guard events.record(.loginStarted, request: request, scopesRequested: authorization.scopes) else {
            return Self.unavailablePage()
        }
        do { try attempts.prune(before: now.addingTimeInterval(-Self.attemptRetention)) } catch {
            log("auth: pruning old login attempts failed: \(error)")
        }
        return Response.redirect(to: authorization.url.absoluteString)
            .settingCookie(LoginCookie.issuing(secret, secure: secureCookies))
            .withHeader("Cache-Control", "no-store")
    }

    // MARK: Pages

    static func signInDisabledPage() -> Response {
        AuthPage.response(
            status: 503, title: "Sign-in is not enabled",
            paragraphs: [
                "Sign-in is not enabled: set OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET (hf_oauth: true).",
                "In a Hugging Face Space, add hf_oauth: true to the README metadata and restart the Space: "
                    + "the Hub then provides both variables. Elsewhere, create an OAuth app on huggingface.co "
                    + "and set the two variables before starting spaceaudit serve.",
            ], link: nil)
    }

    static func unavailablePage() -> Response {
        AuthPage.response(
            status: 503, title: "Sign-in is temporarily unavailable",
            paragraphs: ["SpaceAudit cannot record sign-ins right now (its database is not answering). Try again in a minute."],
            link: AuthPage.Link(href: "/signin.html", label: "Back to sign-in"))
    }

    /// 503 for a provider that cannot be used: unreachable, or announcing another issuer.
    func providerTroublePage(_ error: OIDCError) -> Response {
        if error.reason == .providerUnreachable, error.subReason == "discovery_issuer_mismatch" {
            return AuthPage.response(
                status: 503, title: "Sign-in refused: the provider's issuer does not match",
                paragraphs: [
                    "The OpenID provider's discovery document announces a different issuer than the configured "
                        + "OPENID_PROVIDER_URL (\(config.providerURL)). SpaceAudit refuses to sign anyone in with it.",
                    "An administrator should check OPENID_PROVIDER_URL and the provider.",
                ])
        }
        return AuthPage.response(
            status: 503, title: "The sign-in provider cannot be reached",
            paragraphs: [
                "SpaceAudit could not reach the OpenID provider at \(config.providerURL) to start the sign-in. "
                    + "Try again in a minute.",
                "Reason: \(AuthEventLog.reason(for: error)).",
            ])
    }
}
