/// The signed-in administrator a request speaks for, and what they may see.
struct Viewer: Sendable, Equatable {
    let sub: String
    let username: String
    /// In SPACEAUDIT_ADMINS: sees every Space.
    let isAdminAll: Bool
    /// Orgs of SPACEAUDIT_ADMIN_ORGS where the user is admin or write: sees those orgs' Spaces.
    let visibleOrgs: [String]

    /// Whether the Space `owner/name` is visible to this viewer. Org names compare case-insensitively,
    /// as the Hub treats them.
    func canSee(spaceID: String) -> Bool {
        if isAdminAll { return true }
        guard let owner = spaceID.split(separator: "/").first else { return false }
        return visibleOrgs.contains { $0.lowercased() == owner.lowercased() }
    }
}
