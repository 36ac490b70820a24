import AuditHTTP
import AuditOIDC
import Foundation
import Synchronization

/// A small OpenID provider for `spaceaudit demo`, so sign-in works with no Hugging Face app:
/// discovery, JWKS, an authorize endpoint that approves at once as `demo-admin`, a token
/// endpoint (authorization code + PKCE S256, client_secret_basic or _post) and userinfo.
///
/// It is strict where a relying party could be sloppy (exact redirect_uri, single-use codes
/// that expire, PKCE required, client authentication), so the demo exercises the real checks.
/// It listens on 127.0.0.1 only and keeps everything in memory.
final class DemoProvider: Sendable {
    struct Client: Sendable {
        let id: String
        let secret: String
        let redirectURI: String
    }

    /// The user every sign-in becomes.
    static let user = (sub: "64d0c0ffee0000000000demo", username: "demo-admin", name: "Demo Admin")
    static let codeLifetime: TimeInterval = 60
    static let tokenLifetime: TimeInterval = 3_600

    let client: Client
    private let signer: RS256Signer
    private let server: HTTPServer
    private let issuerURL: Mutex<String> = Mutex("")
    private let grants = DemoProviderGrants()

    init(client: Client, port: UInt16) throws {
        self.client = client
        self.signer = try RS256Signer(keyID: "demo-" + Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 6)))
        var config = ServerConfig()
        config.bindAddress = "127.0.0.1"
        config.port = port
        let router = Mutex<Router?>(nil)
        server = HTTPServer(
            config: config, logger: ServerLogger(error: { _ in }, request: { _ in }),
            handler: { request in
                guard let router = router.withLock({ $0 }) else { throw HTTPError.serviceUnavailable }
                return try router.handle(request)
            })
        var routes = Router()
        register(on: &routes)
        let built = routes
        router.withLock { $0 = built }
    }

    func start() throws {
        try server.start()
        issuerURL.withLock { $0 = "http://127.0.0.1:\(server.port)" }
    }

    func stop() { server.stop() }

    var issuer: String { issuerURL.withLock { $0 } }

    private func register(on router: inout Router) {
        router.get("/.well-known/openid-configuration") { [self] _ in try .json(discovery()) }
        router.get("/.well-known/jwks.json") { [self] _ in try .json(["keys": [signer.publicJWK]]) }
        router.get("/oauth/authorize") { [self] request in try authorize(request) }
        router.post("/oauth/token", maxBodyBytes: 16 * 1024) { [self] request in try token(request) }
        router.get("/oauth/userinfo") { [self] request in try userinfo(request) }
    }

    private func discovery() -> [String: DemoJSON] {
        let base = issuer
        return [
            "issuer": .string(base),
            "authorization_endpoint": .string(base + "/oauth/authorize"),
            "token_endpoint": .string(base + "/oauth/token"),
            "userinfo_endpoint": .string(base + "/oauth/userinfo"),
            "jwks_uri": .string(base + "/.well-known/jwks.json"),
            "response_types_supported": .strings(["code"]),
            "subject_types_supported": .strings(["public"]),
            "id_token_signing_alg_values_supported": .strings(["RS256"]),
            "scopes_supported": .strings(["openid", "profile", "email", "read-memberships"]),
            "code_challenge_methods_supported": .strings(["S256"]),
            "token_endpoint_auth_methods_supported": .strings(["client_secret_basic", "client_secret_post"]),
        ]
    }

    /// Approves at once. A wrong client or redirect URI gets a plain 400 page and never a
    /// redirect: sending a code to an unregistered URI is exactly what a provider must not do.
    private func authorize(_ request: Request) throws -> Response {
        guard request.query("client_id") == client.id else { throw HTTPError.badRequest("unknown client_id") }
        guard request.query("redirect_uri") == client.redirectURI else {
            throw HTTPError.badRequest("redirect_uri is not registered for this client")
        }
        var target = URLComponents(string: client.redirectURI)!
        var items = target.queryItems ?? []
        let state = request.query("state")
        if let state { items.append(URLQueryItem(name: "state", value: state)) }
        guard request.query("response_type") == "code",
            let challenge = request.query("code_challenge"), request.query("code_challenge_method") == "S256",
            let scope = request.query("scope"), scope.split(separator: " ").contains("openid")
        else {
            items.append(URLQueryItem(name: "error", value: "invalid_request"))
            target.queryItems = items
            return .redirect(to: target.string!)
        }
        let code = try grants.issueCode(
            DemoProviderGrants.Pending(
                redirectURI: client.redirectURI, nonce: request.query("nonce"), codeChallenge: challenge,
                scope: scope, expiresAt: Date().addingTimeInterval(Self.codeLifetime)))
        items.append(URLQueryItem(name: "code", value: code))
        target.queryItems = items
        return .redirect(to: target.string!)
    }

    private func token(_ request: Request) throws -> Response {
        // A form body has the query-string grammar; parse it with the same decoder as a query.
        let parsed = try Request(method: "POST", target: "/?" + (request.bodyText ?? "")).queryParameters
        let form = parsed.compactMapValues(\.first)
        guard authenticates(request, form: form) else { return Self.oauthError("invalid_client", status: 401) }
        guard form["grant_type"] == "authorization_code" else { return Self.oauthError("unsupported_grant_type") }
        guard let code = form["code"], let pending = grants.redeem(code: code), pending.expiresAt > Date(),
            form["redirect_uri"] == pending.redirectURI, let verifier = form["code_verifier"],
            Crypto.constantTimeEquals(Array(Crypto.base64URLEncode(Crypto.sha256(verifier)).utf8), Array(pending.codeChallenge.utf8))
        else { return Self.oauthError("invalid_grant") }
        let now = Date()
        var claims: [String: DemoJSON] = [
            "iss": .string(issuer), "sub": .string(Self.user.sub), "aud": .string(client.id), "azp": .string(client.id),
            "iat": .number(now.timeIntervalSince1970.rounded(.down)),
            "exp": .number(now.addingTimeInterval(Self.tokenLifetime).timeIntervalSince1970.rounded(.down)),
            "preferred_username": .string(Self.user.username), "name": .string(Self.user.name),
        ]
        if let nonce = pending.nonce { claims["nonce"] = .string(nonce) }
        let idToken = try signer.compactJWS(payloadJSON: Array(try JSONEncoder().encode(claims)))
        let accessToken = try grants.issueAccessToken(expiresAt: now.addingTimeInterval(Self.tokenLifetime))
        return try .json([
            "access_token": DemoJSON.string(accessToken), "token_type": .string("Bearer"),
            "expires_in": .number(Self.tokenLifetime), "id_token": .string(idToken), "scope": .string(pending.scope),
        ])
        .withHeader("Cache-Control", "no-store")
    }

    private func userinfo(_ request: Request) throws -> Response {
        guard let authorization = request.header("Authorization"), authorization.hasPrefix("Bearer "),
            grants.isLive(accessToken: String(authorization.dropFirst(7)))
        else {
            return Self.oauthError("invalid_token", status: 401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
        }
        return try .json([
            "sub": DemoJSON.string(Self.user.sub), "preferred_username": .string(Self.user.username),
            "name": .string(Self.user.name), "orgs": .strings([]),
        ])
    }

    /// client_secret_basic or client_secret_post, compared in constant time.
    private func authenticates(_ request: Request, form: [String: String]) -> Bool {
        var id = form["client_id"]
        var secret = form["client_secret"]
        if let header = request.header("Authorization"), header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).flatMap({ String(data: $0, encoding: .utf8) }),
            let colon = decoded.firstIndex(of: ":")
        {
            id = String(decoded[..<colon]).removingPercentEncoding
            secret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        guard let id, let secret else { return false }
        return id == client.id && Crypto.constantTimeEquals(Array(secret.utf8), Array(client.secret.utf8))
    }

    private static func oauthError(_ code: String, status: Int = 400) -> Response {
        Response(
            status: status, headers: HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")]),
            body: .bytes(Array(#"{"error":"\#(code)"}"#.utf8)))
    }
}
