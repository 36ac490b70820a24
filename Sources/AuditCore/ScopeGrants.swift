import Foundation

/// Who was granted which scope in one Space (from `ScopeGrantRow`s).
public struct ScopeGrants: Sendable, Equatable, Codable {
    public struct PerScope: Sendable, Equatable, Codable {
        public var scope: String
        public var risk: Scope.Risk
        public var users: Int
        public var firstGranted: Date
        public var lastGranted: Date

        enum CodingKeys: String, CodingKey {
            case scope, risk, users
            case firstGranted = "first_granted"
            case lastGranted = "last_granted"
        }
    }

    public struct PerUser: Sendable, Equatable, Codable {
        public var userSub: String
        public var username: String?
        /// Sorted by name.
        public var scopes: [String]

        enum CodingKeys: String, CodingKey {
            case userSub = "user_sub"
            case username, scopes
        }
    }

    /// Riskiest first, then by user count (desc) and name, so the dashboard's
    /// "riskiest scope" is simply the first entry.
    public var scopes: [PerScope]
    /// By user_sub.
    public var users: [PerUser]

    public init(spaceID: SpaceID, rows: [ScopeGrantRow]) {
        let mine = rows.filter { $0.spaceID == spaceID }
        var perScope: [String: PerScope] = [:]
        var subsPerScope: [String: Set<String>] = [:]
        var perUser: [String: PerUser] = [:]
        for r in mine {
            subsPerScope[r.scope, default: []].insert(r.userSub)
            var s =
                perScope[r.scope]
                ?? PerScope(
                    scope: r.scope, risk: Scope.risk(of: r.scope), users: 0,
                    firstGranted: r.firstGrantedAt, lastGranted: r.lastGrantedAt)
            s.firstGranted = min(s.firstGranted, r.firstGrantedAt)
            s.lastGranted = max(s.lastGranted, r.lastGrantedAt)
            perScope[r.scope] = s
            var u = perUser[r.userSub] ?? PerUser(userSub: r.userSub, username: r.username, scopes: [])
            if !u.scopes.contains(r.scope) { u.scopes.append(r.scope) }
            u.username = u.username ?? r.username
            perUser[r.userSub] = u
        }
        scopes = perScope.values.map { s in
            var s = s
            s.users = subsPerScope[s.scope]?.count ?? 0
            return s
        }.sorted { ($1.risk, $1.users, $0.scope) < ($0.risk, $0.users, $1.scope) }
        users = perUser.values.map { u in
            var u = u
            u.scopes.sort()
            return u
        }.sorted { $0.userSub < $1.userSub }
    }
}
