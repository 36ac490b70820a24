import AuditCore
import AuditHTTP
import AuditOIDC
import AuditPostgres
import Foundation

/// Records the service's own sign-in events (`login_started`, `login_succeeded`, `login_failed`,
/// `logout`, `session_expired`) under its Space, through the service's `EventRecorder`.
///
/// What goes in is fixed here, in one place: reason codes, the user as far as it is known and
/// trusted, scopes, redirect_uri, client_id, client IP and user agent. Never a token, code, state,
/// nonce or secret: none of them is even passed in.
struct AuthEventLog: Sendable {
    /// What is known about the user at the moment of the event (nothing, before the ID token and
    /// userinfo have been verified).
    struct User: Sendable {
        var sub: String?
        var username: String?
        var orgs: [String] = []

        static let unknown = User(sub: nil, username: nil)
    }

    let recorder: any EventRecorder
    let spaceID: SpaceID
    let clientID: String?
    let redirectURI: String
    let behindProxy: Bool
    let clock: @Sendable () -> Date
    let log: @Sendable (String) -> Void

    /// Stores one event. A failure to store is logged and reported as false: the sign-in's answer
    /// to the browser does not change, but the caller may refuse to go on (no unrecorded login).
    @discardableResult
    func record(
        _ kind: LoginEvent.Kind, request: Request, reason: String? = nil, user: User = .unknown,
        scopesRequested: [String] = [], scopesGranted: [String] = [], redirectURI: String? = nil
    ) -> Bool {
        let client = ClientInfo(request, behindProxy: behindProxy)
        let outcome: LoginEvent.Outcome? =
            switch kind {
            case .loginSucceeded: .success
            case .loginFailed: .failure
            default: nil
            }
        let event = NewEvent(
            occurredAt: clock(), event: kind, outcome: outcome, reason: reason, userSub: user.sub, username: user.username,
            orgs: user.orgs, scopesRequested: scopesRequested, scopesGranted: scopesGranted,
            redirectURI: redirectURI ?? self.redirectURI, clientID: clientID, clientIP: client.ip,
            userAgent: client.userAgent, source: .service)
        do {
            _ = try recorder.record([event], spaceID: spaceID)
            return true
        } catch {
            log("auth: could not record \(kind.rawValue) event: \(error)")
            return false
        }
    }

    /// The audit-log reason for a relying-party failure: `code` or `code:sub_reason`
    /// (e.g. `id_token_invalid:bad_signature`, `provider_unreachable:discovery_issuer_mismatch`).
    static func reason(for error: OIDCError) -> String {
        error.subReason.map { "\(error.reason.rawValue):\($0)" } ?? error.reason.rawValue
    }

    static func reason(_ code: FailureReason.Code, _ detail: String? = nil) -> String {
        FailureReason(code, detail: detail).rawValue
    }
}

extension AuthEventLog {
    /// The service's own log: its Space (SPACE_ID or `local/<host>`), its client id and callback.
    init(config: Config, recorder: any EventRecorder, clock: @escaping @Sendable () -> Date, log: @escaping @Sendable (String) -> Void) {
        self.init(
            recorder: recorder, spaceID: config.serviceSpaceID, clientID: config.clientID, redirectURI: config.callbackURL,
            behindProxy: config.inSpace, clock: clock, log: log)
    }
}
