import AuditOIDC
import COpenSSL
import Foundation

/// Test-only RSA signing (the library only verifies). Keys are generated in-process with OpenSSL.
/// `@unchecked Sendable`: the EVP_PKEY is never mutated after generation, and each signature
/// uses its own EVP_MD_CTX, which OpenSSL allows concurrently.
final class TestKey: @unchecked Sendable {
    static let primary = TestKey(bits: 2048, kid: "key-1")
    static let rotated = TestKey(bits: 2048, kid: "key-2")
    static let attacker = TestKey(bits: 2048, kid: "key-1")
    static let weak = TestKey(bits: 1024, kid: "weak")

    let kid: String
    let modulus: [UInt8]
    let exponent: [UInt8]
    private let pkey: OpaquePointer

    init(bits: Int32, kid: String) {
        self.kid = kid
        let ctx = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil)!
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        precondition(EVP_PKEY_keygen_init(ctx) == 1)
        precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) == 1)
        precondition(EVP_PKEY_generate(ctx, &key) == 1)
        pkey = key!
        modulus = Self.bignum(pkey, "n")
        exponent = Self.bignum(pkey, "e")
    }

    deinit { EVP_PKEY_free(pkey) }

    private static func bignum(_ key: OpaquePointer, _ name: String) -> [UInt8] {
        var bn: OpaquePointer?
        precondition(EVP_PKEY_get_bn_param(key, name, &bn) == 1)
        defer { BN_free(bn) }
        var out = [UInt8](repeating: 0, count: Int((BN_num_bits(bn) + 7) / 8))
        _ = out.withUnsafeMutableBufferPointer { BN_bn2bin(bn, $0.baseAddress) }
        return out
    }

    func signRS256(_ input: [UInt8]) -> [UInt8] {
        let ctx = EVP_MD_CTX_new()!
        defer { EVP_MD_CTX_free(ctx) }
        precondition(EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1)
        var length = 0
        precondition(EVP_DigestSign(ctx, nil, &length, input, input.count) == 1)
        var signature = [UInt8](repeating: 0, count: length)
        precondition(EVP_DigestSign(ctx, &signature, &length, input, input.count) == 1)
        return Array(signature.prefix(length))
    }

    /// This key as a JWKS entry.
    func jwk(kid: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var entry: [String: Any] = [
            "kty": "RSA", "use": "sig", "alg": "RS256",
            "n": Crypto.base64URLEncode(modulus), "e": Crypto.base64URLEncode(exponent),
        ]
        entry["kid"] = kid ?? self.kid
        for (k, v) in extra { entry[k] = v }
        return entry
    }
}

/// Builds compact JWS strings for the verifier tests.
enum JWT {
    static func segment(_ object: [String: Any]) -> String {
        Crypto.base64URLEncode(Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    static func rs256(header: [String: Any], claims: [String: Any], key: TestKey) -> String {
        let input = segment(header) + "." + segment(claims)
        return input + "." + Crypto.base64URLEncode(key.signRS256(Array(input.utf8)))
    }

    static func hs256(header: [String: Any], claims: [String: Any], secret: String) -> String {
        let input = segment(header) + "." + segment(claims)
        return input + "." + Crypto.base64URLEncode(Crypto.hmacSHA256(key: Array(secret.utf8), data: input))
    }

    static func unsigned(header: [String: Any], claims: [String: Any]) -> String {
        segment(header) + "." + segment(claims) + "."
    }
}
