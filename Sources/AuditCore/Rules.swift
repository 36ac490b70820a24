/// Every finding rule in one list (product.md §6). Each rule is a pure function of a
/// `SpaceContext`; the groups live in RedirectRules, RedirectSafetyRules, MetadataRules and
/// ScopeRules. Severities are documented in docs/report-format.md.
public struct Rule: Sendable {
    public let id: String
    public let title: String
    public let check: @Sendable (SpaceContext) -> [Finding]
}

public enum Rules {
    public static let all: [Rule] = [
        Rule(id: "R001", title: "callback/redirect URI is not https", check: RedirectRules.r001),
        Rule(id: "R002", title: "callback host is not the Space's own *.hf.space host", check: RedirectRules.r002),
        Rule(id: "R003", title: "redirect_uri matches no registered callback", check: RedirectRules.r003),
        Rule(id: "R004", title: "loopback or private-network redirect_uri on a deployed Space", check: RedirectSafetyRules.r004),
        Rule(id: "R005", title: "fragment, user-info or off-site return target in redirect_uri", check: RedirectSafetyRules.r005),
        Rule(id: "R006", title: "legacy hf_oauth_redirect_path", check: MetadataRules.r006),
        Rule(id: "R007", title: "sign-ins seen but hf_oauth is not true", check: MetadataRules.r007),
        Rule(id: "R008", title: "logins failing with the provider's redirect-URI error", check: RedirectSafetyRules.r008),
        Rule(id: "S001", title: "scope not declared in hf_oauth_scopes", check: ScopeRules.s001),
        Rule(id: "S002", title: "unknown scope string", check: ScopeRules.s002),
        Rule(id: "S003", title: "powerful scope without hf_oauth_authorized_org", check: ScopeRules.s003),
        Rule(id: "S004", title: "hf_oauth_expiration_minutes too long or out of range", check: ScopeRules.s004),
    ]

    /// All findings for one Space, in report order.
    public static func evaluate(_ context: SpaceContext) -> [Finding] {
        all.flatMap { $0.check(context) }.sorted(by: Finding.reportOrder)
    }
}

/// A URI under scrutiny: a registered callback (static, count 1) or an observed redirect_uri.
struct URIEvidence {
    let uri: RedirectURI
    let observed: ObservedValue?

    var label: String { observed == nil ? "registered callback \(uri.raw)" : "redirect_uri \(uri.raw)" }

    static func all(_ c: SpaceContext) -> [URIEvidence] {
        registered(c) + seen(c)
    }

    static func registered(_ c: SpaceContext) -> [URIEvidence] {
        c.callbacks.map { URIEvidence(uri: RedirectURI($0), observed: nil) }
    }

    static func seen(_ c: SpaceContext) -> [URIEvidence] {
        c.redirectURIs.map { URIEvidence(uri: RedirectURI($0.value), observed: $0) }
    }

    func finding(_ rule: String, _ severity: Severity, _ c: SpaceContext, seen: String? = nil, expected: String, fix: String) -> Finding {
        Finding(
            ruleID: rule, severity: severity, spaceID: c.spaceID, seen: seen ?? label, expected: expected,
            count: observed?.count ?? 1, firstSeen: observed?.firstSeen, lastSeen: observed?.lastSeen, fix: fix)
    }
}

extension Finding {
    /// A finding backed by one observed value (count and dates come from it).
    init(_ rule: String, _ severity: Severity, _ c: SpaceContext, observed o: ObservedValue, seen: String, expected: String, fix: String) {
        self.init(
            ruleID: rule, severity: severity, spaceID: c.spaceID, seen: seen, expected: expected,
            count: o.count, firstSeen: o.firstSeen, lastSeen: o.lastSeen, fix: fix)
    }
}
