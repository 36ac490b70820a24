import AuditCore
import AuditPostgres

/// One audit-log row as the event-log API shows it: the audit CSV's column names (plus `seq`
/// and `received_at`), timestamps as RFC 3339 UTC text, absent values omitted.
struct ApiEventJSON: Encodable {
    let event_id: String
    let seq: Int64
    let occurred_at: String
    let received_at: String
    let space: String
    let event: String
    let outcome: String?
    let reason: String?
    let user_sub: String?
    let username: String?
    let orgs: [String]
    let scopes_requested: [String]
    let scopes_granted: [String]
    let redirect_uri: String?
    let client_id: String?
    let client_ip: String?
    let user_agent: String?
    let source: String
    let hash: String

    init(_ event: LoginEvent) {
        event_id = event.eventID
        seq = event.seq
        occurred_at = RFC3339.format(event.occurredAt)
        received_at = RFC3339.format(event.receivedAt)
        space = event.spaceID.description
        self.event = event.event.rawValue
        outcome = event.outcome?.rawValue
        reason = event.reason
        user_sub = event.userSub
        username = event.username
        orgs = event.orgs
        scopes_requested = event.scopesRequested
        scopes_granted = event.scopesGranted
        redirect_uri = event.redirectURI
        client_id = event.clientID
        client_ip = event.clientIP
        user_agent = event.userAgent
        source = event.source.rawValue
        hash = event.hash
    }
}

/// `GET /api/v1/spaces/{owner}/{name}/events`: one page, newest first.
struct ApiEventPageJSON: Encodable {
    let events: [ApiEventJSON]
    let limit: Int
    /// Pass back as `cursor` for the next (older) page; absent on the last page.
    let next_cursor: String?
}
