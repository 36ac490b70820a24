import AuditCore

/// Every way a sign-in can fail, as recorded in the audit log (product.md §4).
///
/// `description` is safe to show a user or store: reason and sub-reason only. `debugDescription`
/// adds a detail for logs. Neither ever contains a token, the client secret or an authorization
/// code: the code paths that build errors only pass status codes, provider error codes and
/// our own wording.
public struct OIDCError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum FailureReason: String, Sendable, CaseIterable {
        case idpError = "idp_error"
        case tokenExchangeFailed = "token_exchange_failed"
        case idTokenInvalid = "id_token_invalid"
        case userinfoFailed = "userinfo_failed"
        case userinfoSubMismatch = "userinfo_sub_mismatch"
        case providerUnreachable = "provider_unreachable"
        case notAuthorized = "not_authorized"
    }

    public let reason: FailureReason
    /// For `id_token_invalid` one of `IDTokenFailure`'s raw values; for `idp_error` and
    /// `token_exchange_failed` the provider's sanitised `error` code; for `provider_unreachable`
    /// `discovery_invalid` / `discovery_issuer_mismatch` when the provider answered but wrongly.
    public let subReason: String?
    /// Log-only wording; never a secret (see type comment).
    public let detail: String

    public init(_ reason: FailureReason, subReason: String? = nil, detail: String = "") {
        self.reason = reason
        self.subReason = subReason
        self.detail = detail
    }

    /// Equal when reason and sub-reason are: `detail` is log wording, not identity.
    public static func == (lhs: OIDCError, rhs: OIDCError) -> Bool {
        lhs.reason == rhs.reason && lhs.subReason == rhs.subReason
    }

    static func idToken(_ failure: IDTokenFailure, _ detail: String = "") -> OIDCError {
        OIDCError(.idTokenInvalid, subReason: failure.rawValue, detail: detail)
    }

    /// The error for a callback that carries `?error=...`: the value is attacker-controllable,
    /// so it is reduced to a short OAuth-style code before it reaches logs or the database.
    public static func idp(error code: String) -> OIDCError {
        OIDCError(.idpError, subReason: sanitizedErrorCode(code), detail: "provider redirected with an error")
    }

    /// The sub-reason typed, when the reason is `id_token_invalid`.
    public var idTokenFailure: IDTokenFailure? {
        reason == .idTokenInvalid ? subReason.flatMap(IDTokenFailure.init(rawValue:)) : nil
    }

    public var description: String {
        subReason.map { "\(reason.rawValue) (\($0))" } ?? reason.rawValue
    }

    public var debugDescription: String {
        detail.isEmpty ? "OIDCError: \(description)" : "OIDCError: \(description): \(detail)"
    }

    /// OAuth error codes are `%x20-21 / %x23-5B / %x5D-7E` (RFC 6749 §5.2); we keep a tighter
    /// set and a length cap so nothing odd (newlines, markup, tokens pasted by a proxy) gets stored.
    static func sanitizedErrorCode(_ code: String) -> String {
        let allowed = code.unicodeScalars.filter {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)
        }
        let text = String(String.UnicodeScalarView(allowed.prefix(64)))
        return text.isEmpty ? "unknown" : text
    }
}

/// Why an ID token was refused; the raw values are the audit log's sub-reasons (product.md §4),
/// defined once in AuditCore.
public typealias IDTokenFailure = FailureReason.IDTokenProblem
