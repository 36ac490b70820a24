/// The outcome of a completed sign-in: who the provider says the user is. Whether they may see
/// anything is `AdminPolicy`'s decision, kept apart so it can be tested as a pure function.
public struct SignedInUser: Sendable, Equatable {
    public struct Org: Sendable, Equatable {
        /// The org's handle (userinfo `orgs[].preferred_username`).
        public let name: String
        /// `roleInOrg`, absent when the user did not grant this org to the app.
        public let role: String?

        public init(name: String, role: String?) {
            self.name = name
            self.role = role
        }
    }

    /// The stable user id (ID token and userinfo agree on it).
    public let sub: String
    /// The HF username (can change over time; `sub` cannot).
    public let username: String?
    public let name: String?
    public let orgs: [Org]
    public let scopesRequested: [String]
    public let scopesGranted: [String]
    /// Access-token lifetime announced by the provider, for the audit log.
    public let accessTokenExpiresIn: Int?

    public init(
        sub: String, username: String?, name: String?, orgs: [Org], scopesRequested: [String] = [],
        scopesGranted: [String], accessTokenExpiresIn: Int? = nil
    ) {
        self.sub = sub
        self.username = username
        self.name = name
        self.orgs = orgs
        self.scopesRequested = scopesRequested
        self.scopesGranted = scopesGranted
        self.accessTokenExpiresIn = accessTokenExpiresIn
    }
}
