import Foundation

/// Does the work for `Config.parse`: reads each variable, records every problem instead of
/// stopping at the first, then fills in defaults that depend on other values.
struct ConfigParser {
    let env: [String: String]
    var problems: [String] = []
    var warnings: [String] = []

    init(_ env: [String: String]) { self.env = env }

    func value(_ key: String) -> String? {
        guard let v = env[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }

    mutating func build() -> Config {
        let clientID = value("OAUTH_CLIENT_ID")
        let clientSecret = value("OAUTH_CLIENT_SECRET")
        if (clientID == nil) != (clientSecret == nil) {
            let (set, missing) = clientID == nil ? ("OAUTH_CLIENT_SECRET", "OAUTH_CLIENT_ID") : ("OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET")
            problems.append("\(set) is set but \(missing) is not: set both to enable sign-in, or neither to run without it")
        }
        let spaceID = parseSpaceID()
        let hosts = Self.list(value("SPACE_HOST"))
        for h in hosts where !Self.isHostname(h) { problems.append("SPACE_HOST entry '\(h)' is not a host name") }
        if let first = hosts.first, Self.isHostname(first), !first.lowercased().hasSuffix(".hf.space") {
            warnings.append("SPACE_HOST's first entry '\(first)' is not a *.hf.space host; callbacks must use the *.hf.space host")
        }
        let port = integer("PORT", default: 7860, range: 1...65_535)
        let admins = names("SPACEAUDIT_ADMINS")
        let adminOrgs = names("SPACEAUDIT_ADMIN_ORGS")
        let scopes = parseScopes(adminOrgs: adminOrgs)
        let provider = url("OPENID_PROVIDER_URL", default: "https://huggingface.co", requireHTTPS: true)
        let defaultPublic = spaceID.map { "https://\(hosts.first ?? $0.defaultHost)" } ?? "http://127.0.0.1:\(port)"
        let publicURL = url("SPACEAUDIT_PUBLIC_URL", default: defaultPublic, requireHTTPS: false)
        let bind = value("SPACEAUDIT_BIND") ?? (spaceID != nil ? "0.0.0.0" : "127.0.0.1")
        if !Self.isHostname(bind) && !bind.contains(":") { problems.append("SPACEAUDIT_BIND '\(bind)' is not an address") }
        let hours = integer("SPACEAUDIT_SESSION_HOURS", default: 8, range: 1...720)
        let dataDir = value("SPACEAUDIT_DATA_DIR") ?? "./.spaceaudit"
        let metrics = boolean("SPACEAUDIT_METRICS_PUBLIC", default: true)
        return Config(
            clientID: clientID, clientSecret: clientSecret, scopes: scopes, providerURL: provider, spaceID: spaceID,
            spaceHosts: hosts, publicURL: publicURL, admins: admins, adminOrgs: adminOrgs, port: port,
            bindAddress: bind, sessionHours: hours, databaseURL: value("DATABASE_URL"), dataDir: dataDir,
            metricsPublic: metrics, warnings: warnings)
    }

    mutating func parseSpaceID() -> SpaceID? {
        guard let text = value("SPACE_ID") else { return nil }
        guard let id = SpaceID(text) else {
            problems.append("SPACE_ID '\(text)' is not an owner/name Space id")
            return nil
        }
        return id
    }

    /// The ID token is verified, so `openid` is required. Admin orgs need `read-memberships`
    /// to see roles: added to the default, only advised when OAUTH_SCOPES is explicit (in a
    /// Space the Hub injects it from `hf_oauth_scopes`, which must then be edited instead).
    mutating func parseScopes(adminOrgs: [String]) -> [String] {
        guard let text = value("OAUTH_SCOPES") else {
            return ["openid", "profile"] + (adminOrgs.isEmpty ? [] : ["read-memberships"])
        }
        let scopes = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if !scopes.contains("openid") { problems.append("OAUTH_SCOPES must include openid (the ID token is verified)") }
        for s in scopes where Scope.named(s) == nil { warnings.append("OAUTH_SCOPES contains unknown scope '\(s)'") }
        if !adminOrgs.isEmpty && !scopes.contains("read-memberships") {
            warnings.append("SPACEAUDIT_ADMIN_ORGS is set but OAUTH_SCOPES lacks read-memberships: org roles may be missing")
        }
        return scopes
    }

    mutating func integer(_ key: String, default def: Int, range: ClosedRange<Int>) -> Int {
        guard let text = value(key) else { return def }
        guard let v = Int(text), range.contains(v) else {
            problems.append("\(key) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'")
            return def
        }
        return v
    }

    mutating func boolean(_ key: String, default def: Bool) -> Bool {
        guard let text = value(key) else { return def }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            problems.append("\(key) must be true or false, got '\(text)'")
            return def
        }
    }

    /// HF user/org handles: the Space-id part charset.
    mutating func names(_ key: String) -> [String] {
        let items = Self.list(value(key))
        for n in items where SpaceID("\(n)/x") == nil { problems.append("\(key) entry '\(n)' is not a valid HF name") }
        return items
    }

    /// An http(s) base URL with a host and no query/fragment; trailing slash removed.
    /// https is required for the provider except on loopback (a local test provider).
    mutating func url(_ key: String, default def: String, requireHTTPS: Bool) -> String {
        guard let text = value(key) else { return def }
        let u = RedirectURI(text)
        var ok = ["http", "https"].contains(u.scheme) && !u.host.isEmpty && u.query == nil && u.fragment == nil && u.userInfo == nil
        if ok && requireHTTPS && u.scheme == "http" && !u.isLoopback {
            problems.append("\(key) must use https (http is allowed only for a loopback test provider), got '\(text)'")
            return def
        }
        if text.contains(where: \.isWhitespace) { ok = false }
        guard ok else {
            problems.append("\(key) must be an http(s) URL like https://host[:port][/path], got '\(text)'")
            return def
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func isHostname(_ h: String) -> Bool {
        !h.isEmpty && h.count <= 253 && h.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }
}
