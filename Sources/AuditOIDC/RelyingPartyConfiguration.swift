/// What the relying party needs to know; built by the executable from its environment.
/// `description` hides the client secret.
public struct RelyingPartyConfiguration: Sendable, CustomStringConvertible {
    /// The configured issuer, e.g. `https://huggingface.co` (OPENID_PROVIDER_URL).
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// Sent verbatim at /authorize and at the token endpoint; the two must be identical.
    public var redirectURI: String
    public var scopes: [String]

    public init(issuer: String, clientID: String, clientSecret: String, redirectURI: String, scopes: [String]) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
        self.scopes = scopes
    }

    public var description: String {
        "RelyingPartyConfiguration(issuer: \(issuer), clientID: \(clientID), clientSecret: <redacted>, "
            + "redirectURI: \(redirectURI), scopes: \(scopes.joined(separator: " ")))"
    }
}
