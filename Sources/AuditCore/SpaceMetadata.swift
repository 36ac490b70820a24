/// The OAuth-relevant part of a Space's README metadata (hf-oauth.md §5, §6). Stored as
/// jsonb, so it is Codable with snake_case keys; absent keys keep the Hub's defaults.
public struct SpaceMetadata: Sendable, Equatable, Codable {
    /// How `hf_oauth_scopes` was written: current docs use a YAML list; Nov-2023 docs used
    /// one space-separated string. Both work, but the string form is worth pointing out.
    public enum ScopesForm: String, Sendable, Codable {
        case absent, list, string
    }

    public var hfOAuth: Bool
    public var scopes: [String]
    public var scopesForm: ScopesForm
    public var expirationMinutes: Int?
    public var authorizedOrgs: [String]
    /// Legacy (removed from the docs 2023-12-15); kept to flag it (R006).
    public var redirectPath: String?
    public var sdk: String?
    public var sdkVersion: String?
    public var appPort: Int?
    public var title: String?
    /// README line of each key that was present, so findings can say where to edit.
    public var keyLines: [String: Int]

    public init(
        hfOAuth: Bool = false, scopes: [String] = [], scopesForm: ScopesForm = .absent,
        expirationMinutes: Int? = nil, authorizedOrgs: [String] = [], redirectPath: String? = nil,
        sdk: String? = nil, sdkVersion: String? = nil, appPort: Int? = nil, title: String? = nil,
        keyLines: [String: Int] = [:]
    ) {
        self.hfOAuth = hfOAuth
        self.scopes = scopes
        self.scopesForm = scopesForm
        self.expirationMinutes = expirationMinutes
        self.authorizedOrgs = authorizedOrgs
        self.redirectPath = redirectPath
        self.sdk = sdk
        self.sdkVersion = sdkVersion
        self.appPort = appPort
        self.title = title
        self.keyLines = keyLines
    }

    /// Reads the keys from parsed front matter; the first type error is thrown.
    public init(frontMatter fm: FrontMatter) throws(FrontMatterError) {
        self.init()
        hfOAuth = try fm.bool("hf_oauth") ?? false
        switch try fm.stringList("hf_oauth_scopes") {
        case nil: break
        case .list(let items):
            scopes = items
            scopesForm = .list
        case .scalar(let text):
            scopes = text.split(whereSeparator: \.isWhitespace).map(String.init)
            scopesForm = .string
        }
        expirationMinutes = try fm.int("hf_oauth_expiration_minutes")
        switch try fm.stringList("hf_oauth_authorized_org") {
        case nil: break
        case .list(let items): authorizedOrgs = items
        case .scalar(let text): authorizedOrgs = [text]
        }
        redirectPath = try fm.string("hf_oauth_redirect_path")
        sdk = try fm.string("sdk")
        sdkVersion = try fm.string("sdk_version")
        appPort = try fm.int("app_port")
        title = try fm.string("title")
        if case .mapping(let entries, _) = fm.root {
            for entry in entries { keyLines[entry.key] = entry.keyLine }
        }
    }

    /// Convenience: README text straight to metadata.
    public init(readme: String) throws(FrontMatterError) {
        try self.init(frontMatter: FrontMatter.parse(readme: readme))
    }

    enum CodingKeys: String, CodingKey {
        case hfOAuth = "hf_oauth"
        case scopes = "hf_oauth_scopes"
        case scopesForm = "hf_oauth_scopes_form"
        case expirationMinutes = "hf_oauth_expiration_minutes"
        case authorizedOrgs = "hf_oauth_authorized_org"
        case redirectPath = "hf_oauth_redirect_path"
        case sdk
        case sdkVersion = "sdk_version"
        case appPort = "app_port"
        case title
        case keyLines = "key_lines"
    }
}
