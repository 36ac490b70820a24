/// Who may see the dashboard (product.md §9 "Who sees what"), as a pure function.
///
/// Names are compared case-insensitively (ASCII/Unicode lowercasing): HF handles are unique
/// regardless of case and appear in URLs in any case, so `Ada` in SPACEAUDIT_ADMINS means the
/// user `ada`. Roles are compared case-insensitively too.
public struct AdminPolicy: Sendable, Equatable {
    /// Roles in an admin org that grant visibility of that org's Spaces.
    public static let privilegedRoles: Set<String> = ["admin", "write"]

    public let admins: Set<String>
    public let adminOrgs: Set<String>

    public init(admins: Set<String>, adminOrgs: Set<String>) {
        self.admins = Set(admins.map { $0.lowercased() })
        self.adminOrgs = Set(adminOrgs.map { $0.lowercased() })
    }

    public func decide(_ user: SignedInUser) -> AdminDecision {
        let isAdminAll = user.username.map { admins.contains($0.lowercased()) } ?? false
        let visible = user.orgs.filter { org in
            adminOrgs.contains(org.name.lowercased())
                && org.role.map { Self.privilegedRoles.contains($0.lowercased()) } == true
        }
        return AdminDecision(isAdminAll: isAdminAll, visibleOrgs: Array(Set(visible.map(\.name))).sorted())
    }

    /// `decide`, throwing `not_authorized` for someone who may see nothing.
    public func authorize(_ user: SignedInUser) throws(OIDCError) -> AdminDecision {
        let decision = decide(user)
        guard decision.isAuthorized else {
            throw OIDCError(.notAuthorized, detail: "not in admins and no admin/write role in an admin org")
        }
        return decision
    }
}

public struct AdminDecision: Sendable, Equatable {
    /// Sees every Space (listed in SPACEAUDIT_ADMINS).
    public let isAdminAll: Bool
    /// Org handles (as the provider spells them) whose Spaces this user may see.
    public let visibleOrgs: [String]

    public init(isAdminAll: Bool, visibleOrgs: [String]) {
        self.isAdminAll = isAdminAll
        self.visibleOrgs = visibleOrgs
    }

    public var isAuthorized: Bool { isAdminAll || !visibleOrgs.isEmpty }
}
