/// Service configuration from environment-style variables (product.md §2). The executable
/// passes `ProcessInfo` environment and its parsed flags (as the same variable names);
/// flags win. An empty value counts as unset, as `VAR=` in docker-compose means "no value".
public struct Config: Sendable, Equatable, CustomStringConvertible {
    public var clientID: String?
    public var clientSecret: String?
    public var scopes: [String]
    public var providerURL: String
    /// SPACE_ID: the Space this service runs in; nil outside a Space.
    public var spaceID: SpaceID?
    /// SPACE_HOST split on commas; the first is the `*.hf.space` host.
    public var spaceHosts: [String]
    /// External base URL, without trailing slash; callbacks are `publicURL + /login/callback`.
    public var publicURL: String
    public var admins: [String]
    public var adminOrgs: [String]
    public var port: Int
    public var bindAddress: String
    public var sessionHours: Int
    public var databaseURL: String?
    public var dataDir: String
    public var metricsPublic: Bool
    /// Non-fatal advice (e.g. admin orgs without `read-memberships`), for the startup log.
    public var warnings: [String]

    /// Sign-in runs only with both OAuth credentials; with neither, `serve` runs without it.
    public var signInEnabled: Bool { clientID != nil && clientSecret != nil }
    public var inSpace: Bool { spaceID != nil }

    /// The Space id the service records its own events under: SPACE_ID in a Space; else
    /// `local/<public URL host>` (lowercased, characters outside the Space-id charset such as
    /// IPv6 colons turned into `-`), so self-hosted instances on different hosts stay apart.
    public var serviceSpaceID: SpaceID {
        if let spaceID { return spaceID }
        let host = RedirectURI(publicURL).host
        let safe = String(host.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" }.prefix(96))
        return SpaceID("local/\(safe.isEmpty ? "localhost" : safe)") ?? SpaceID("local/localhost")!
    }

    public var callbackURL: String { publicURL + "/login/callback" }

    public var description: String {
        "Config(sign-in: \(signInEnabled ? "on" : "off"), client_id: \(clientID ?? "-"), client_secret: \(clientSecret == nil ? "-" : "<redacted>"), "
            + "scopes: \(scopes.joined(separator: " ")), provider: \(providerURL), public_url: \(publicURL), bind: \(bindAddress):\(port), "
            + "database: \(databaseURL == nil ? "embedded" : "<redacted>"))"
    }

    public static func parse(environment: [String: String], overrides: [String: String] = [:]) throws(ConfigError) -> Config {
        var p = ConfigParser(environment.merging(overrides) { _, flag in flag })
        let config = p.build()
        guard p.problems.isEmpty else { throw ConfigError(problems: p.problems) }
        return config
    }
}
