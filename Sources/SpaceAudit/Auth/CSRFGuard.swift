import AuditHTTP
import AuditOIDC
import Foundation

/// CSRF protection for state-changing requests made with the session cookie (`POST /logout`).
///
/// Two independent checks, both required:
/// 1. Where the browser says the request comes from: `Origin` (when sent) must be one of our own
///    origins, and `Sec-Fetch-Site` (when sent) must be `same-origin` or `none`.
/// 2. A per-session token the page read from `GET /api/v1/me` (which a cross-site page cannot
///    read), sent back as header `X-CSRF-Token` or form field `csrf_token`. The token is
///    HMAC(session id, "csrf"): derivable from the cookie at any time, while the database keeps
///    only its SHA-256 (`admin_sessions.csrf_hash`).
struct CSRFGuard: Sendable {
    static let headerName = "X-CSRF-Token"
    static let formField = "csrf_token"

    /// Lower-cased `scheme://host[:port]` values this service is reached at.
    let allowedOrigins: Set<String>

    init(publicURL: String, spaceHosts: [String]) {
        var origins: Set<String> = []
        if let url = URLComponents(string: publicURL), let scheme = url.scheme, let host = url.host {
            origins.insert("\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")".lowercased())
        }
        for host in spaceHosts { origins.insert("https://\(host)".lowercased()) }
        allowedOrigins = origins
    }

    static func token(sessionID: String) -> String {
        Crypto.base64URLEncode(Crypto.hmacSHA256(key: Array(sessionID.utf8), data: "csrf"))
    }

    static func hash(_ token: String) -> [UInt8] { Crypto.sha256(token) }

    /// Throws 403 `csrf_failed` unless the request passes both checks against `expectedHash`.
    func check(_ request: Request, expectedHash: [UInt8]) throws(HTTPError) {
        if let origin = request.header("Origin"), !allowedOrigins.contains(origin.lowercased()) {
            throw Self.refusal("The request comes from another site.")
        }
        if let site = request.header("Sec-Fetch-Site"), !["same-origin", "none"].contains(site.lowercased()) {
            throw Self.refusal("The request comes from another site.")
        }
        guard let token = Self.presentedToken(request), !token.isEmpty, token.utf8.count <= 128 else {
            throw Self.refusal("The CSRF token is missing: send the csrf_token from /api/v1/me as X-CSRF-Token.")
        }
        guard Crypto.constantTimeEquals(Self.hash(token), expectedHash) else {
            throw Self.refusal("The CSRF token does not match this session.")
        }
    }

    static func presentedToken(_ request: Request) -> String? {
        if let header = request.header(headerName) { return header }
        let type = request.header("Content-Type")?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded"), let body = request.bodyText,
            let fields = try? Request.parseFormBody(body)
        else { return nil }
        return fields[formField]?.first
    }

    static func refusal(_ message: String) -> HTTPError {
        HTTPError(status: 403, code: "csrf_failed", message: message)
    }
}

extension Request {
    /// An `application/x-www-form-urlencoded` body, decoded like a query string.
    static func parseFormBody(_ body: String) throws -> [String: [String]] {
        try Request(method: "POST", target: "/?" + body).queryParameters
    }
}
