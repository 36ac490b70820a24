import Foundation

/// The whole sign-in as two blocking calls: `startLogin` (redirect to the provider) and
/// `completeLogin` (the callback). Holds only caches (discovery, JWKS), no per-login state: the
/// caller checks `state` against what it stored and passes the browser's secret back in.
public final class RelyingParty: Sendable {
    public let configuration: RelyingPartyConfiguration
    private let discovery: Discovery
    private let jwks: JWKSCache
    private let tokens: TokenClient
    private let userinfo: UserInfoClient
    private let clock: @Sendable () -> Date

    /// `timeout` applies to each provider call; `jwksRefetchInterval` bounds JWKS re-fetches on
    /// unknown kids (see `JWKSCache`).
    public init(
        configuration: RelyingPartyConfiguration, http: any HTTPClient, clock: @escaping @Sendable () -> Date = { Date() },
        timeout: TimeInterval = 10, jwksRefetchInterval: TimeInterval = 30
    ) {
        self.configuration = configuration
        self.clock = clock
        discovery = Discovery(issuer: configuration.issuer, http: http, clock: clock, timeout: timeout)
        jwks = JWKSCache(http: http, clock: clock, refetchInterval: jwksRefetchInterval, timeout: timeout)
        tokens = TokenClient(
            http: http, clientID: configuration.clientID, clientSecret: configuration.clientSecret, timeout: timeout)
        userinfo = UserInfoClient(http: http, timeout: timeout)
    }

    /// The provider's metadata (fetched once, then cached; see `Discovery`).
    public func metadata() throws(OIDCError) -> ProviderMetadata { try discovery.metadata() }

    /// JWKS requests made so far (for /metrics and tests).
    public var jwksFetchCount: Int { jwks.fetchCount }

    /// Builds the authorize redirect. A random-generator failure (no entropy) is reported as
    /// `provider_unreachable`: sign-in cannot proceed and the caller answers 503 either way.
    public func startLogin(browserSecret: [UInt8], additionalParameters: [String: String] = [:]) throws(OIDCError)
        -> AuthorizationRequest
    {
        let metadata = try discovery.metadata()
        do {
            return try AuthorizationRequest.make(
                metadata: metadata, clientID: configuration.clientID, redirectURI: configuration.redirectURI,
                scopes: configuration.scopes, browserSecret: browserSecret, additionalParameters: additionalParameters)
        } catch {
            throw OIDCError(.providerUnreachable, detail: "cannot generate state: \(error)")
        }
    }

    /// Code exchange → ID token verification (nonce derived from state and browser secret) →
    /// userinfo, whose `sub` must be the ID token's.
    public func completeLogin(code: String, state: String, browserSecret: [UInt8]) throws(OIDCError) -> SignedInUser {
        guard !code.isEmpty, code.utf8.count <= 4096 else {
            throw OIDCError(.tokenExchangeFailed, detail: "callback code is empty or oversized")
        }
        let metadata = try discovery.metadata()
        let token = try tokens.exchange(
            code: code, redirectURI: configuration.redirectURI,
            codeVerifier: AuthorizationRequest.deriveVerifier(browserSecret: browserSecret, state: state),
            tokenEndpoint: metadata.tokenEndpoint)
        let verifier = IDTokenVerifier(
            issuer: metadata.issuer, clientID: configuration.clientID, keys: jwks, jwksURI: metadata.jwksURI, clock: clock)
        let claims = try verifier.verify(
            token.idToken, expectedNonce: AuthorizationRequest.deriveNonce(browserSecret: browserSecret, state: state))
        let info = try userinfo.fetch(accessToken: token.accessToken, endpoint: metadata.userinfoEndpoint)
        guard Crypto.constantTimeEquals(Array(info.sub.utf8), Array(claims.subject.utf8)) else {
            throw OIDCError(.userinfoSubMismatch, detail: "userinfo sub differs from the ID token's")
        }
        return SignedInUser(
            sub: claims.subject, username: info.preferredUsername ?? claims.preferredUsername,
            name: info.name ?? claims.name,
            orgs: info.orgs.compactMap { org in org.preferredUsername.map { .init(name: $0, role: org.roleInOrg) } },
            scopesRequested: configuration.scopes, scopesGranted: token.scopesGranted ?? configuration.scopes,
            accessTokenExpiresIn: token.expiresIn)
    }
}
