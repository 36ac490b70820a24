/// The HF OAuth scope catalogue (hf-oauth.md §4, hub-docs snapshot 2026-08-22).
///
/// Risk levels, ranked by what a leaked token or a malicious Space could do with the scope:
/// - `low`: identity only, nothing beyond the public profile (`openid`, `profile`).
/// - `medium`: reads private but non-content data (email, memberships, billing flag, gated or
///   personal collections, endpoint listings).
/// - `high`: reads private content or writes in a narrow, reversible way (private repos,
///   app-created repos, collections, discussions).
/// - `critical`: overwrites or deletes the user's repos, spends the user's money or compute,
///   or rewires their infrastructure (write/manage repos, inference, endpoints, jobs, webhooks).
public struct Scope: Sendable, Hashable, Codable {
    public enum Risk: String, Sendable, Codable, Comparable, CaseIterable {
        case low, medium, high, critical
        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Risk, b: Risk) -> Bool { a.rank < b.rank }
    }

    /// What kind of power the scope carries. S003 looks at write/manage/billing/inference.
    public enum Kind: String, Sendable, Codable {
        case identity, read, write, manage, billing, inference
        public var needsOrgRestriction: Bool { [.write, .manage, .billing, .inference].contains(self) }
    }

    public let name: String
    public let risk: Risk
    public let kind: Kind
    /// Hub-docs list it. False for strings seen only in third-party material (`read-mcp`,
    /// `offline_access`): S002 still flags those, at a lower severity.
    public let documented: Bool

    public static let catalogue: [Scope] = [
        Scope(name: "openid", risk: .low, kind: .identity, documented: true),
        Scope(name: "profile", risk: .low, kind: .identity, documented: true),
        Scope(name: "email", risk: .medium, kind: .identity, documented: true),
        // read-billing reveals whether the user (and granted orgs) can pay: billing data.
        Scope(name: "read-billing", risk: .medium, kind: .billing, documented: true),
        Scope(name: "read-memberships", risk: .medium, kind: .read, documented: true),
        Scope(name: "read-repos", risk: .high, kind: .read, documented: true),
        Scope(name: "gated-repos", risk: .medium, kind: .read, documented: true),
        Scope(name: "contribute-repos", risk: .high, kind: .write, documented: true),
        Scope(name: "write-repos", risk: .critical, kind: .write, documented: true),
        Scope(name: "manage-repos", risk: .critical, kind: .manage, documented: true),
        Scope(name: "read-collections", risk: .medium, kind: .read, documented: true),
        Scope(name: "write-collections", risk: .high, kind: .write, documented: true),
        Scope(name: "inference-api", risk: .critical, kind: .inference, documented: true),
        Scope(name: "read-endpoints", risk: .medium, kind: .read, documented: true),
        // write-endpoints creates paid hardware; jobs runs billed compute: both spend money.
        Scope(name: "write-endpoints", risk: .critical, kind: .manage, documented: true),
        Scope(name: "jobs", risk: .critical, kind: .inference, documented: true),
        Scope(name: "webhooks", risk: .critical, kind: .manage, documented: true),
        Scope(name: "write-discussions", risk: .high, kind: .write, documented: true),
        Scope(name: "read-mcp", risk: .medium, kind: .read, documented: false),
        Scope(name: "offline_access", risk: .high, kind: .read, documented: false),
    ]

    private static let byName: [String: Scope] = Dictionary(uniqueKeysWithValues: catalogue.map { ($0.name, $0) })

    /// Catalogue entry, or nil for a string nobody documents.
    public static func named(_ name: String) -> Scope? { byName[name] }

    /// Always authorised for Space apps and need not be listed in `hf_oauth_scopes`.
    public static let implicit: Set<String> = ["openid", "profile"]

    /// Risk for reporting: unknown strings rank `high` because nobody can say what they grant.
    public static func risk(of name: String) -> Risk { byName[name]?.risk ?? .high }
}
