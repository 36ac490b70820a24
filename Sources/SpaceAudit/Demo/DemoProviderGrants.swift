import AuditOIDC
import Foundation
import Synchronization

/// The demo provider's short-lived state: authorization codes (single use) and access tokens.
/// Only SHA-256 digests are kept as keys, as a real provider would.
final class DemoProviderGrants: Sendable {
    struct Pending: Sendable {
        let redirectURI: String
        let nonce: String?
        let codeChallenge: String
        let scope: String
        let expiresAt: Date
    }

    private let codes = Mutex<[[UInt8]: Pending]>([:])
    private let accessTokens = Mutex<[[UInt8]: Date]>([:])

    func issueCode(_ pending: Pending) throws -> String {
        let code = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 32))
        codes.withLock { codes in
            codes = codes.filter { $0.value.expiresAt > Date() }
            codes[Crypto.sha256(code)] = pending
        }
        return code
    }

    /// The pending grant of `code`, removed so a second redemption fails.
    func redeem(code: String) -> Pending? {
        codes.withLock { $0.removeValue(forKey: Crypto.sha256(code)) }
    }

    func issueAccessToken(expiresAt: Date) throws -> String {
        let token = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 32))
        accessTokens.withLock { tokens in
            tokens = tokens.filter { $0.value > Date() }
            tokens[Crypto.sha256(token)] = expiresAt
        }
        return token
    }

    func isLive(accessToken: String) -> Bool {
        accessTokens.withLock { ($0[Crypto.sha256(accessToken)] ?? .distantPast) > Date() }
    }
}
