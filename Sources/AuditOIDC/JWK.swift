import AuditCore

/// An RSA signing key from the provider's JWKS (RFC 7517), reduced to what RS256 needs.
public struct JWK: Sendable, Equatable {
    public let kid: String?
    /// Big-endian modulus and public exponent, as decoded from the JWK's `n` and `e`.
    public let modulus: [UInt8]
    public let exponent: [UInt8]

    public init(kid: String?, modulus: [UInt8], exponent: [UInt8]) {
        self.kid = kid
        self.modulus = modulus
        self.exponent = exponent
    }

    /// Keeps only keys usable for verifying RS256 ID tokens: `kty` RSA, `use` sig or absent,
    /// `alg` RS256 or absent, `key_ops` (if any) allowing verify, valid `n`/`e`, and at least
    /// `Crypto.minimumRSAKeyBits`. Other keys (encryption keys, EC keys) are skipped, not errors.
    static func usableKeys(fromJWKS bytes: [UInt8]) -> [JWK]? {
        guard let document = JSONValue.object(from: bytes), let keys = document["keys"]?.array else { return nil }
        return keys.compactMap { entry in
            guard let key = entry.object, key["kty"]?.string == "RSA" else { return nil }
            if let use = key["use"], use.string != "sig" { return nil }
            if let alg = key["alg"], alg.string != "RS256" { return nil }
            if let ops = key["key_ops"], !(ops.array ?? []).contains(.string("verify")) { return nil }
            if let kid = key["kid"], kid.string == nil { return nil }
            guard let n = key["n"]?.string.flatMap(Crypto.base64URLDecode),
                let e = key["e"]?.string.flatMap(Crypto.base64URLDecode),
                bitLength(n) >= Crypto.minimumRSAKeyBits, !e.isEmpty
            else { return nil }
            return JWK(kid: key["kid"]?.string, modulus: n, exponent: e)
        }
    }

    static func bitLength(_ bigEndian: [UInt8]) -> Int {
        guard let first = bigEndian.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (bigEndian.count - first - 1) * 8 + (8 - bigEndian[first].leadingZeroBitCount)
    }
}
