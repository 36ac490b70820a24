/// R004, R005, R008: redirect URIs that are unsafe or that the provider refuses.
enum RedirectSafetyRules {
    /// Query parameters that libraries use to carry "where to go after login". An absolute or
    /// protocol-relative value there is an open redirect (CVE-2026-28415 in Gradio).
    static let returnParameters: Set<String> = [
        "next", "_target_url", "target_url", "return_to", "returnto", "return_url", "returnurl",
        "redirect", "redirect_to", "redirect_url", "redirect_uri", "url", "continue", "dest", "destination",
    ]

    /// R004 `error`: a browser on the internet cannot reach a loopback/private callback, so on
    /// a deployed Space it means a dev setting leaked into production (or an SSRF-style probe).
    @Sendable static func r004(_ c: SpaceContext) -> [Finding] {
        guard c.deployed else { return [] }
        return URIEvidence.seen(c).compactMap { e in
            guard e.uri.isLocal else { return nil }
            let kind = e.uri.isLoopback ? "loopback" : "private-network"
            return e.finding(
                "R004", .error, c, seen: "\(e.label) (\(kind) host)", expected: "https://\(c.ownHost)/...",
                fix: "Derive the callback from SPACE_HOST in production; remove the local-development override.")
        }
    }

    /// R005 `error`: a fragment is forbidden in redirect URIs (RFC 6749 §3.1.2), user-info
    /// invites phishing-style host confusion, and an off-site return target is an open redirect.
    /// Checks registered callbacks and observed redirect_uris alike.
    @Sendable static func r005(_ c: SpaceContext) -> [Finding] {
        var out: [Finding] = []
        for e in URIEvidence.all(c) {
            if e.uri.fragment != nil {
                out.append(
                    e.finding(
                        "R005", .error, c, seen: "\(e.label) (fragment)", expected: "no #fragment",
                        fix: "Remove the #fragment from the redirect URI; keep client state in `state`."))
            }
            if let info = e.uri.userInfo {
                out.append(
                    e.finding(
                        "R005", .error, c, seen: "\(e.label) (user-info '\(info)@')", expected: "no user-info part",
                        fix: "Remove the user@ part; it can disguise the real host."))
            }
            for item in e.uri.queryItems where returnParameters.contains(item.name.lowercased()) {
                guard let target = offSiteTarget(item.value, allowedHosts: [c.ownHost, c.host, e.uri.host]) else { continue }
                out.append(
                    e.finding(
                        "R005", .error, c, seen: "\(e.label) (\(item.name)=\(target))",
                        expected: "\(item.name) holding a local path such as /",
                        fix: "Accept only local paths for \(item.name) (reject //, \\\\ and absolute URLs); upgrade Gradio ≥ 6.16."))
            }
        }
        return out
    }

    /// Returns the value when it leaves the site: any scheme (`https:`, `javascript:`…)
    /// to a host not in `allowedHosts`, or a path starting with `//`, `/\` or `\`, which
    /// browsers treat as protocol-relative.
    static func offSiteTarget(_ value: String, allowedHosts: Set<String>) -> String? {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if v.hasPrefix("//") || v.hasPrefix("/\\") || v.hasPrefix("\\") { return value }
        let target = RedirectURI(v)
        guard !target.scheme.isEmpty else { return nil }
        if ["http", "https"].contains(target.scheme), allowedHosts.contains(target.host) { return nil }
        return value
    }

    /// R008 `error`: sign-ins are failing right now because the provider rejects the
    /// redirect_uri (hf-oauth.md §3.3); the count is the number of failed logins.
    @Sendable static func r008(_ c: SpaceContext) -> [Finding] {
        c.providerErrors.compactMap { o in
            guard FailureReason.redirectURIErrors.contains(o.value.lowercased()) else { return nil }
            return Finding(
                "R008", .error, c, observed: o, seen: "login_failed idp_error:\(o.value)",
                expected: "redirect_uri on https://\(c.ownHost)/",
                fix: "Make the app send a redirect_uri on https://\(c.ownHost) (see R001–R003 for which one).")
        }
    }
}
