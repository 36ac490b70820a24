import AuditCore
import AuditPostgres
import Foundation

/// A Space as `GET /api/v1/spaces` and `GET /api/v1/spaces/{owner}/{name}` show it.
/// Timestamps are RFC 3339 UTC text; absent optional values are omitted.
struct ApiSpaceJSON: Encodable {
    struct Day: Encodable {
        let day: String
        let successes: Int
        let failures: Int
    }

    struct RiskiestScope: Encodable {
        let scope: String
        let risk: String
    }

    struct Activity: Encodable {
        let active_1d: Int
        let active_7d: Int
        let active_30d: Int
        let successes: Int
        let failures: Int
        let last_sign_in: String?
        let last_event_at: String?
        let daily: [Day]
        let scopes_granted: [String]
        let riskiest_scope: RiskiestScope?
    }

    struct Registration: Encodable {
        let host: String
        let callbacks: [String]
        let metadata: JSONValue
        let created_at: String
        let updated_at: String
    }

    let space: String
    let owner: String
    let name: String
    /// True when the Space was registered with `spaces add`; false when only its events are known.
    let registered: Bool
    let registration: Registration?
    let activity: Activity

    init(activity: SpaceActivity, registration: SpaceRegistration?) {
        space = activity.spaceID.description
        owner = activity.spaceID.owner
        name = activity.spaceID.name
        registered = registration != nil
        self.registration = registration.map { registration in
            let metadata = try? JSONDecoder().decode(JSONValue.self, from: Data(registration.metadataJSON.utf8))
            return Registration(
                host: registration.host, callbacks: registration.callbacks, metadata: metadata ?? .object([:]),
                created_at: RFC3339.format(registration.createdAt), updated_at: RFC3339.format(registration.updatedAt))
        }
        // Riskiest first, then by name, as the report orders scopes.
        let riskiest = activity.grantedScopes.max { a, b in
            let (ra, rb) = (Scope.risk(of: a), Scope.risk(of: b))
            return ra != rb ? ra < rb : a > b
        }
        self.activity = Activity(
            active_1d: activity.active1d, active_7d: activity.active7d, active_30d: activity.active30d,
            successes: activity.successes, failures: activity.failures,
            last_sign_in: activity.lastSignIn.map(RFC3339.format), last_event_at: activity.lastEventAt.map(RFC3339.format),
            daily: activity.daily.map { Day(day: $0.day, successes: $0.successes, failures: $0.failures) },
            scopes_granted: activity.grantedScopes,
            riskiest_scope: riskiest.map { RiskiestScope(scope: $0, risk: Scope.risk(of: $0).rawValue) })
    }
}

/// `GET /api/v1/spaces`: the Spaces the viewer may see.
struct ApiSpaceListJSON: Encodable {
    let generated_at: String
    /// Length of each `activity.daily` series (the `days` parameter).
    let days: Int
    let spaces: [ApiSpaceJSON]
}

/// `GET /api/v1/spaces/{owner}/{name}`.
struct ApiSpaceDetailJSON: Encodable {
    let generated_at: String
    let days: Int
    let space: ApiSpaceJSON
}
