/// R006, R007: README metadata that contradicts how the Space signs users in.
enum MetadataRules {
    /// R006. `hf_oauth_redirect_path` is obsolete since 2023-12-15 (any URL on the Space is
    /// allowed now): `warning`. A value that is not a path starting with `/` never worked:
    /// `error` (reported instead of, not in addition to, the warning).
    @Sendable static func r006(_ c: SpaceContext) -> [Finding] {
        guard let path = c.metadata?.redirectPath else { return [] }
        let line = c.metadata?.keyLines["hf_oauth_redirect_path"].map { " (README line \($0))" } ?? ""
        if !path.hasPrefix("/") || path.hasPrefix("//") {
            return [
                Finding(
                    ruleID: "R006", severity: .error, spaceID: c.spaceID,
                    seen: "hf_oauth_redirect_path: \(path)\(line)", expected: "a path starting with / (or no key at all)",
                    fix: "Delete hf_oauth_redirect_path; any callback path on the Space is accepted now.")
            ]
        }
        return [
            Finding(
                ruleID: "R006", severity: .warning, spaceID: c.spaceID,
                seen: "hf_oauth_redirect_path: \(path)\(line)", expected: "key absent (obsolete since 2023-12)",
                fix: "Delete hf_oauth_redirect_path from the README metadata; \(path) keeps working without it.")
        ]
    }

    /// R007 `warning`: without `hf_oauth: true` the Hub injects no OAUTH_* variables, so the
    /// built-in Space sign-in cannot work. Not `error`: a Space may legitimately use a
    /// standalone OAuth app with its own secrets. Silent when no README was registered.
    @Sendable static func r007(_ c: SpaceContext) -> [Finding] {
        guard c.signInCount > 0, let meta = c.metadata, !meta.hfOAuth else { return [] }
        return [
            Finding(
                ruleID: "R007", severity: .warning, spaceID: c.spaceID,
                seen: "\(c.signInCount) sign-in(s) but hf_oauth is not true", expected: "hf_oauth: true",
                count: c.signInCount, firstSeen: c.firstSignIn, lastSeen: c.lastSignIn,
                fix: "Add `hf_oauth: true` to the README metadata (unless the Space uses a standalone OAuth app).")
        ]
    }
}
