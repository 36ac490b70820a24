/// S001–S004: scopes and token lifetime declared in the README metadata.
enum ScopeRules {
    /// S001 `warning`: a token only carries the scopes the Space's app declares, so a
    /// requested-but-undeclared scope is silently missing, and a granted-but-undeclared one
    /// means the live app is out of sync with the README (not redeployed). `openid` and
    /// `profile` are implicit for Spaces (hf-oauth.md §4) and never flagged. Needs metadata.
    @Sendable static func s001(_ c: SpaceContext) -> [Finding] {
        guard let meta = c.metadata else { return [] }
        let declared = Set(meta.scopes).union(Scope.implicit)
        let declaredText = meta.scopes.isEmpty ? "(none: openid profile only)" : meta.scopes.joined(separator: " ")
        func check(_ list: [ObservedValue], _ verb: String) -> [Finding] {
            list.filter { !declared.contains($0.value) }.map { o in
                Finding(
                    "S001", .warning, c, observed: o, seen: "scope '\(o.value)' \(verb)",
                    expected: "hf_oauth_scopes: \(declaredText)",
                    fix: "Add '\(o.value)' to hf_oauth_scopes and redeploy, or stop \(verb == "requested" ? "requesting" : "using") it.")
            }
        }
        return check(c.scopesRequested, "requested") + check(c.scopesGranted, "granted")
    }

    /// S002. A string in no hub-docs list: `error` (the app cannot get it); one only seen in
    /// third-party material (`read-mcp`, `offline_access`): `warning`. Checks the metadata and
    /// the scopes seen at login; each distinct string is reported once.
    @Sendable static func s002(_ c: SpaceContext) -> [Finding] {
        var out: [Finding] = []
        var reported: Set<String> = []
        func flag(_ name: String, _ where_: String, _ observed: ObservedValue?) {
            guard !reported.contains(name) else { return }
            if let known = Scope.named(name), known.documented { return }
            reported.insert(name)
            let undocumented = Scope.named(name) != nil
            let f = Finding(
                ruleID: "S002", severity: undocumented ? .warning : .error, spaceID: c.spaceID,
                seen: "scope '\(name)' in \(where_)\(undocumented ? " (not in hub-docs)" : "")",
                expected: "a scope from the HF catalogue", count: observed?.count ?? 1,
                firstSeen: observed?.firstSeen, lastSeen: observed?.lastSeen,
                fix: undocumented
                    ? "Confirm with HF that '\(name)' exists before relying on it."
                    : "Fix the spelling of '\(name)' or remove it (known scopes: docs/hub/oauth.md).")
            out.append(f)
        }
        c.metadata?.scopes.forEach { flag($0, "hf_oauth_scopes", nil) }
        c.scopesRequested.forEach { flag($0.value, "a login request", $0) }
        c.scopesGranted.forEach { flag($0.value, "a token grant", $0) }
        return out
    }

    /// S003 `warning`: write/manage/billing/inference scopes let the Space act for (or spend
    /// for) whoever signs in; without `hf_oauth_authorized_org` that is any HF user.
    @Sendable static func s003(_ c: SpaceContext) -> [Finding] {
        guard let meta = c.metadata, meta.authorizedOrgs.isEmpty else { return [] }
        let powerful = meta.scopes.filter { Scope.named($0)?.kind.needsOrgRestriction == true }
        guard !powerful.isEmpty else { return [] }
        return [
            Finding(
                ruleID: "S003", severity: .warning, spaceID: c.spaceID,
                seen: "hf_oauth_scopes: \(powerful.joined(separator: " ")) with no hf_oauth_authorized_org",
                expected: "hf_oauth_authorized_org set, or no write/manage/billing/inference scope",
                fix: "Add hf_oauth_authorized_org: <your-org> to the README metadata, or drop the scopes you do not need.")
        ]
    }

    /// S004. Default 480 min, maximum 43 200 (hf-oauth.md §5): above 480 is a long-lived
    /// token (`warning`); outside 1…43 200 the value is invalid (`error`).
    @Sendable static func s004(_ c: SpaceContext) -> [Finding] {
        guard let minutes = c.metadata?.expirationMinutes else { return [] }
        let seen = "hf_oauth_expiration_minutes: \(minutes)"
        if !(1...43_200).contains(minutes) {
            return [
                Finding(
                    ruleID: "S004", severity: .error, spaceID: c.spaceID, seen: seen, expected: "1…43200 (default 480)",
                    fix: "Set hf_oauth_expiration_minutes between 1 and 43200, ideally ≤ 480, or remove it.")
            ]
        }
        guard minutes > 480 else { return [] }
        return [
            Finding(
                ruleID: "S004", severity: .warning, spaceID: c.spaceID, seen: seen, expected: "≤ 480 (8 h, the default)",
                fix: "Shorten hf_oauth_expiration_minutes to 480 or less unless users need longer-lived tokens.")
        ]
    }
}
