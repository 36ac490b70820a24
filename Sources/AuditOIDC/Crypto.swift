import COpenSSL

/// The cryptographic primitives the relying party (and the executable: session ids, ingest tokens)
/// needs. This is the only file that talks to OpenSSL (libcrypto 3.0); no C type leaves it.
public enum Crypto {
    /// RSA keys below this size are refused outright (NIST SP 800-131A; 1024-bit keys are breakable).
    public static let minimumRSAKeyBits = 2048

    /// Bytes from OpenSSL's CSPRNG. Throws instead of returning weak bytes when the DRBG is not seeded.
    public static func secureRandomBytes(count: Int) throws(CryptoError) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw CryptoError("RAND_bytes failed: \(takeOpenSSLError())") }
        return bytes
    }

    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // Only an allocation failure can make SHA-256 fail; there is no sensible fallback.
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed: \(takeOpenSSLError())")
        return Array(digest.prefix(Int(length)))
    }

    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                mac.withUnsafeMutableBufferPointer { out in
                    // HMAC() dereferences the key pointer even for an empty key, so never pass nil.
                    withUnsafeBytes(of: UInt8(0)) { zero in
                        HMAC(
                            EVP_sha256(), k.baseAddress ?? zero.baseAddress, Int32(k.count),
                            d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count,
                            out.baseAddress, &length)
                    }
                }
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 failed: \(takeOpenSSLError())")
        return Array(mac.prefix(Int(length)))
    }

    public static func hmacSHA256(key: [UInt8], data: String) -> [UInt8] {
        hmacSHA256(key: key, data: Array(data.utf8))
    }

    /// Compares in time independent of where the inputs differ. Lengths are not secret (they are
    /// fixed by the protocol), so unequal lengths return false at once.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256") against a public key given as the big-endian
    /// bytes of a JWK's `n` and `e`. Returns false for any failure, including keys < 2048 bits.
    public static func verifyRS256(
        signingInput: [UInt8], signature: [UInt8], modulus n: [UInt8], exponent e: [UInt8]
    ) -> Bool {
        defer { ERR_clear_error() }  // a failed verification must not leave errors for the next caller
        guard !signature.isEmpty, let key = makeRSAPublicKey(modulus: n, exponent: e) else { return false }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_bits(key) >= Int32(minimumRSAKeyBits) else { return false }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        // Default RSA padding for DigestVerify is PKCS#1 v1.5, which is what RS256 means.
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, key) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            signingInput.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(ctx, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        return result == 1
    }

    /// Builds an EVP_PKEY from n/e with the OpenSSL 3.0 provider API (the RSA_* setters are deprecated).
    private static func makeRSAPublicKey(modulus n: [UInt8], exponent e: [UInt8]) -> OpaquePointer? {
        guard !n.isEmpty, !e.isEmpty, n.count <= 2048, e.count <= 8 else { return nil }
        guard let bnN = n.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32(n.count), nil) }) else {
            return nil
        }
        defer { BN_free(bnN) }
        guard let bnE = e.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32(e.count), nil) }) else {
            return nil
        }
        defer { BN_free(bnE) }
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard OSSL_PARAM_BLD_push_BN(builder, shim_ossl_param_rsa_n(), bnN) == 1,
            OSSL_PARAM_BLD_push_BN(builder, shim_ossl_param_rsa_e(), bnE) == 1,
            let params = OSSL_PARAM_BLD_to_param(builder)
        else { return nil }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, shim_ossl_keytype_rsa(), nil) else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1,
            EVP_PKEY_fromdata(ctx, &key, shim_evp_pkey_public_key_selection(), params) == 1
        else {
            EVP_PKEY_free(key)
            return nil
        }
        return key
    }

    /// Reads and clears OpenSSL's thread-local error queue right after a failing call.
    private static func takeOpenSSLError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "no OpenSSL error queued" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A failure of the crypto layer (in practice: an unseeded random generator).
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
