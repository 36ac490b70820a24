import COpenSSL

/// An RSA-2048 key pair made in memory, for an OpenID provider that signs ID tokens with RS256:
/// the demo's local provider and tests. The private key never leaves this object (there is no
/// export), and it lives only as long as the process.
///
/// OpenSSL is called here too (besides Crypto.swift) because key generation and signing need
/// a private key handle, which nothing else in the relying party owns.
public final class RS256Signer: @unchecked Sendable {  // the EVP_PKEY is immutable after init; signing uses a fresh context per call
    private let key: OpaquePointer  // EVP_PKEY*, owned; freed in deinit
    /// `kid` announced in the JWKS and put in every token header.
    public let keyID: String
    /// Big-endian bytes of the public modulus `n` and exponent `e` (for the JWK).
    public let modulus: [UInt8]
    public let exponent: [UInt8]

    /// Generates a fresh 2048-bit key (public exponent 65537).
    public init(keyID: String) throws(CryptoError) {
        defer { ERR_clear_error() }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, shim_ossl_keytype_rsa(), nil) else {
            throw CryptoError("cannot create an RSA key context")
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(Crypto.minimumRSAKeyBits)) == 1,
            EVP_PKEY_generate(ctx, &generated) == 1, let generated
        else { throw CryptoError("RSA key generation failed") }
        guard let n = Self.bigNumberParameter(generated, shim_ossl_param_rsa_n()),
            let e = Self.bigNumberParameter(generated, shim_ossl_param_rsa_e())
        else {
            EVP_PKEY_free(generated)
            throw CryptoError("cannot read the generated RSA public key")
        }
        self.key = generated
        self.keyID = keyID
        self.modulus = n
        self.exponent = e
    }

    deinit { EVP_PKEY_free(key) }

    /// The public key as a JWK (RFC 7517) for a JWKS document.
    public var publicJWK: [String: String] {
        [
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": keyID,
            "n": Crypto.base64URLEncode(modulus), "e": Crypto.base64URLEncode(exponent),
        ]
    }

    /// RSASSA-PKCS1-v1_5 SHA-256 signature of `input`.
    public func sign(_ input: [UInt8]) throws(CryptoError) -> [UInt8] {
        defer { ERR_clear_error() }
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError("cannot create a signing context") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, key) == 1 else { throw CryptoError("signing setup failed") }
        var length = 0
        // First call sizes the signature, second writes it.
        guard input.withUnsafeBufferPointer({ EVP_DigestSign(ctx, nil, &length, $0.baseAddress, $0.count) }) == 1 else {
            throw CryptoError("signing failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let ok = signature.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { EVP_DigestSign(ctx, out.baseAddress, &length, $0.baseAddress, $0.count) }
        }
        guard ok == 1 else { throw CryptoError("signing failed") }
        return Array(signature.prefix(length))
    }

    /// A compact JWS `header.payload.signature` over the given JSON bytes, with header
    /// `{"alg":"RS256","kid":…,"typ":"JWT"}`.
    public func compactJWS(payloadJSON: [UInt8]) throws(CryptoError) -> String {
        let header = #"{"alg":"RS256","kid":"\#(keyID)","typ":"JWT"}"#
        let signingInput = Crypto.base64URLEncode(Array(header.utf8)) + "." + Crypto.base64URLEncode(payloadJSON)
        return signingInput + "." + Crypto.base64URLEncode(try sign(Array(signingInput.utf8)))
    }

    private static func bigNumberParameter(_ key: OpaquePointer, _ name: UnsafePointer<CChar>) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else { return nil }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        let written = bytes.withUnsafeMutableBufferPointer { BN_bn2bin(number, $0.baseAddress) }
        return written == bytes.count ? bytes : nil
    }
}
