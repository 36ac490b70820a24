/// R001–R003: where callbacks point and whether what logins use matches what is registered.
enum RedirectRules {
    /// R001. https is required everywhere except loopback development: an http loopback
    /// callback on an undeployed Space is `info` (RFC 8252 allows it); on a deployed Space a
    /// loopback callback is R004's business, so R001 leaves it to avoid a double report.
    @Sendable static func r001(_ c: SpaceContext) -> [Finding] {
        URIEvidence.all(c).compactMap { e in
            guard e.uri.scheme != "https" else { return nil }
            let expected = "https://\(c.ownHost)\(e.uri.path.isEmpty ? "/login/callback" : e.uri.path)"
            if e.uri.isLoopback && e.uri.scheme == "http" {
                if c.deployed && e.observed != nil { return nil }
                if !c.deployed {
                    return e.finding(
                        "R001", .info, c, expected: "https outside local development",
                        fix: "Fine for local development; the deployed Space must use \(expected).")
                }
            }
            let scheme = e.uri.scheme.isEmpty ? "no scheme" : "\(e.uri.scheme)://"
            return e.finding(
                "R001", .error, c, seen: "\(e.label) (\(scheme))", expected: expected,
                fix: "Build the callback as \(expected); behind the Spaces proxy, force https rather than trusting the request scheme.")
        }
    }

    /// R002. The Hub accepts only callbacks that target the Space, and libraries pin them to
    /// the first `SPACE_HOST` entry (hf-oauth.md §3.1). Hub page URLs and other Spaces' hosts
    /// cannot work: `error`. A custom domain is `warning`: whether the Hub accepts it is
    /// unconfirmed, but Gradio rewrites away from it, which says it does not.
    @Sendable static func r002(_ c: SpaceContext) -> [Finding] {
        URIEvidence.all(c).compactMap { e in
            let host = e.uri.host
            guard !host.isEmpty, host != c.ownHost else { return nil }
            // Local hosts: development on an undeployed Space, or R004 for observed ones.
            if e.uri.isLocal && (!c.deployed || e.observed != nil) { return nil }
            let expected = "https://\(c.ownHost)\(e.uri.path)"
            if host == "huggingface.co" || host == "www.huggingface.co" || host == "hf.co" {
                return e.finding(
                    "R002", .error, c, seen: "\(e.label) (Hub page URL, not the Space's direct host)", expected: expected,
                    fix: "Use the direct host \(c.ownHost), not huggingface.co/spaces/...; the Hub page is an iframe wrapper.")
            }
            if host.hasSuffix(".hf.space") {
                return e.finding(
                    "R002", .error, c, seen: "\(e.label) (another Space's host)", expected: expected,
                    fix: "Callback still points at \(host) (duplicated or renamed Space?); derive it from SPACE_HOST.")
            }
            if c.deployed || !c.host.hasSuffix(host) {
                return e.finding(
                    "R002", .warning, c, seen: "\(e.label) (custom domain or foreign host)", expected: expected,
                    fix: "Send the callback to the first SPACE_HOST entry (\(c.ownHost)), even when users arrive on a custom domain.")
            }
            return e.finding(
                "R002", .warning, c, seen: "\(e.label) (custom domain)", expected: expected,
                fix: "Send the callback to \(c.ownHost); a custom domain is not a documented redirect target.")
        }
    }

    /// R003. Compares scheme, host, non-default port and path (`RedirectURI.matchKey`), not
    /// the query. Drift that only differs by a trailing slash or by letter case is named in
    /// `seen`. Without registered callbacks, several distinct URIs for one Space are `info`.
    @Sendable static func r003(_ c: SpaceContext) -> [Finding] {
        let seen = URIEvidence.seen(c)
        guard !c.callbacks.isEmpty else { return distinctWithoutRegistry(c, seen) }
        let registered = c.callbacks.map(RedirectURI.init)
        return seen.compactMap { e in
            if registered.contains(where: { matches($0, e.uri) }) { return nil }
            let list = c.callbacks.joined(separator: " ")
            let key = e.uri.matchKey
            func trim(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }
            if registered.contains(where: { trim($0.matchKey) == trim(key) }) {
                return e.finding(
                    "R003", .warning, c, seen: "\(e.label) (trailing-slash drift)", expected: list,
                    fix: "Make the app and the registration agree on the trailing slash; exact-match providers reject the difference.")
            }
            if registered.contains(where: { $0.matchKey.lowercased() == key.lowercased() }) {
                return e.finding(
                    "R003", .warning, c, seen: "\(e.label) (letter-case drift)", expected: list,
                    fix: "Paths are case-sensitive: use the registered spelling of the callback path.")
            }
            return e.finding(
                "R003", .warning, c, seen: "\(e.label) (no registered callback matches)", expected: list,
                fix: "Register this callback with `spaces add --callback` if intended, or fix the app's redirect_uri.")
        }
    }

    /// Registered http loopback callbacks without a port accept any port (RFC 8252 §7.3,
    /// hf-oauth.md §3.2); everything else must match exactly on `matchKey`.
    static func matches(_ registered: RedirectURI, _ seen: RedirectURI) -> Bool {
        if registered.matchKey == seen.matchKey { return true }
        guard registered.scheme == "http", registered.isLoopback, registered.port == nil else { return false }
        var portless = seen
        portless.port = nil
        return registered.matchKey == portless.matchKey
    }

    private static func distinctWithoutRegistry(_ c: SpaceContext, _ seen: [URIEvidence]) -> [Finding] {
        var keys: [String] = []
        for e in seen where !keys.contains(e.uri.matchKey) { keys.append(e.uri.matchKey) }
        guard keys.count > 1 else { return [] }
        let obs = seen.compactMap(\.observed)
        return [
            Finding(
                ruleID: "R003", severity: .info, spaceID: c.spaceID,
                seen: "\(keys.count) distinct callback URIs: \(keys.joined(separator: " "))",
                expected: "one callback URI per Space", count: obs.reduce(0) { $0 + $1.count },
                firstSeen: obs.map(\.firstSeen).min(), lastSeen: obs.map(\.lastSeen).max(),
                fix: "Register the intended callback with `spaces add --callback URL` so drift is checked exactly.")
        ]
    }
}
