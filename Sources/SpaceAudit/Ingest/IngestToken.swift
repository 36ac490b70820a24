import AuditOIDC

/// The shape of an ingest token: `sa_ingest_` + base64url of 32 random bytes (43 characters).
/// The prefix makes a leaked token recognisable to secret scanners and to people.
enum IngestToken {
    static let prefix = "sa_ingest_"
    static let randomByteCount = 32
    static let encodedLength = 43

    static func generate() throws -> String {
        prefix + Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: randomByteCount))
    }

    /// True when `text` has the exact shape of a token (cheap check before any database work).
    static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let body = text.utf8.dropFirst(prefix.utf8.count)
        return body.count == encodedLength
            && body.allSatisfy { c in
                (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f
            }
    }
}
