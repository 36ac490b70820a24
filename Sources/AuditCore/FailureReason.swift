/// Why a sign-in failed (product.md §4). Stored in `LoginEvent.reason` as `code` or
/// `code:detail`: the detail is the provider's `error` for `idp_error` (e.g.
/// `idp_error:invalid_redirect_uri`) and the check that failed for `id_token_invalid`
/// (e.g. `id_token_invalid:nonce_mismatch`). One string column keeps filtering simple.
public struct FailureReason: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        case idpError = "idp_error"
        case stateMissing = "state_missing"
        case stateMismatch = "state_mismatch"
        case stateExpired = "state_expired"
        case stateReused = "state_reused"
        case tokenExchangeFailed = "token_exchange_failed"
        case idTokenInvalid = "id_token_invalid"
        case userinfoFailed = "userinfo_failed"
        case userinfoSubMismatch = "userinfo_sub_mismatch"
        case notAuthorized = "not_authorized"
        case providerUnreachable = "provider_unreachable"
    }

    /// Sub-reasons of `id_token_invalid`.
    public enum IDTokenProblem: String, Sendable, Codable, CaseIterable {
        case badSignature = "bad_signature"
        case algNotAllowed = "alg_not_allowed"
        case unknownKid = "unknown_kid"
        case wrongIssuer = "wrong_issuer"
        case wrongAudience = "wrong_audience"
        case expired
        case issuedInFuture = "issued_in_future"
        case nonceMismatch = "nonce_mismatch"
        case malformed
    }

    /// Provider `error` values that mean "this redirect_uri is not allowed" (R008). HF's
    /// exact wording is unconfirmed (hf-oauth.md §3.3), so the common spellings are listed.
    public static let redirectURIErrors: Set<String> = [
        "invalid_redirect_uri", "redirect_uri_mismatch", "invalid_request_redirect_uri",
    ]

    public var code: Code
    public var detail: String?

    public init(_ code: Code, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public static func idToken(_ problem: IDTokenProblem) -> FailureReason {
        FailureReason(.idTokenInvalid, detail: problem.rawValue)
    }

    /// Parses `code` or `code:detail`; nil for an unknown code.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first, let code = Code(rawValue: first) else { return nil }
        self.init(code, detail: parts.count > 1 ? parts[1] : nil)
    }

    public var rawValue: String { detail.map { "\(code.rawValue):\($0)" } ?? code.rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = FailureReason(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown failure reason '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
