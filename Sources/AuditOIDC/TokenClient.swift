import AuditCore
import Foundation

/// Exchanges an authorization code at the token endpoint (RFC 6749 §4.1.3, with PKCE's
/// `code_verifier`), authenticating with client_secret_basic.
///
/// Errors keep the provider's `error` code (sanitised) and the HTTP status, never the response
/// body, the code, a token or the secret: a provider echoing the request must not leak it to logs.
public struct TokenClient: Sendable {
    private let http: any HTTPClient
    private let clientID: String
    private let clientSecret: String
    public let timeout: TimeInterval

    public init(http: any HTTPClient, clientID: String, clientSecret: String, timeout: TimeInterval = 10) {
        self.http = http
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.timeout = timeout
    }

    /// RFC 6749 §2.3.1: id and secret are each form-urlencoded before being joined and base64'd.
    var basicAuthorization: String {
        let pair = FormEncoding.component(clientID) + ":" + FormEncoding.component(clientSecret)
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    public func exchange(code: String, redirectURI: String, codeVerifier: String, tokenEndpoint: URL) throws(OIDCError)
        -> TokenResponse
    {
        let body = FormEncoding.encode([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", codeVerifier),
        ])
        let request = OutboundRequest(
            method: "POST", url: tokenEndpoint,
            headers: [
                "Authorization": basicAuthorization, "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            ],
            body: Array(body.utf8), timeout: timeout, followRedirects: false)
        let response: OutboundResponse
        do {
            response = try http.send(request)
        } catch {
            throw OIDCError(.tokenExchangeFailed, detail: "token endpoint: \(error)")
        }
        let json = JSONValue.object(from: response.body)
        let providerError = json?["error"]?.string.map(OIDCError.sanitizedErrorCode)
        guard response.isSuccess else {
            throw OIDCError(.tokenExchangeFailed, subReason: providerError, detail: "token endpoint answered HTTP \(response.status)")
        }
        guard let json else { throw OIDCError(.tokenExchangeFailed, detail: "token response is not a JSON object") }
        if let providerError { throw OIDCError(.tokenExchangeFailed, subReason: providerError, detail: "error in a 2xx token response") }
        guard let accessToken = json["access_token"]?.string, !accessToken.isEmpty else {
            throw OIDCError(.tokenExchangeFailed, detail: "token response lacks access_token")
        }
        guard let idToken = json["id_token"]?.string, !idToken.isEmpty else {
            throw OIDCError(.tokenExchangeFailed, detail: "token response lacks id_token (is the openid scope granted?)")
        }
        let tokenType = json["token_type"]?.string
        if let tokenType, tokenType.lowercased() != "bearer" {
            throw OIDCError(.tokenExchangeFailed, detail: "token_type \(tokenType.prefix(20).debugDescription) is not Bearer")
        }
        let expiresIn: Int? =
            switch json["expires_in"] {
            case .number(let n) where n.isFinite && n >= 0 && n < 1e9: Int(n)
            case .string(let s): Int(s)
            default: nil
            }
        return TokenResponse(
            accessToken: accessToken, idToken: idToken, tokenType: tokenType,
            scopesGranted: json["scope"]?.string.map { $0.split(separator: " ").map(String.init) }, expiresIn: expiresIn)
    }
}
