/// A successful token response. The access token lives in memory only (for the userinfo call);
/// `description` and `debugDescription` omit both tokens so that logging the value is safe.
public struct TokenResponse: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let accessToken: String
    public let idToken: String
    public let tokenType: String?
    /// The granted scopes (split on spaces); nil when the provider omitted `scope`, which per
    /// RFC 6749 §5.1 means "as requested".
    public let scopesGranted: [String]?
    public let expiresIn: Int?

    public init(accessToken: String, idToken: String, tokenType: String?, scopesGranted: [String]?, expiresIn: Int?) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.tokenType = tokenType
        self.scopesGranted = scopesGranted
        self.expiresIn = expiresIn
    }

    public var description: String {
        "TokenResponse(scope: \(scopesGranted?.joined(separator: " ") ?? "(as requested)"), expires_in: \(expiresIn.map(String.init) ?? "?"))"
    }

    public var debugDescription: String { description }
}
