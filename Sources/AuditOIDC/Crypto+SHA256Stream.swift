import COpenSSL

extension Crypto {
    /// SHA-256 over data fed piece by piece (an export's file digest without holding the file).
    /// Beside Crypto.swift because it wraps the same library; one owner at a time.
    public final class SHA256Stream {
        private let context: OpaquePointer  // EVP_MD_CTX*, freed in deinit

        public init() {
            guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
                preconditionFailure("EVP_DigestInit_ex(SHA-256) failed")
            }
            self.context = context
        }

        deinit { EVP_MD_CTX_free(context) }

        public func update(_ bytes: [UInt8]) {
            let ok = bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            precondition(ok == 1, "EVP_DigestUpdate failed")
        }

        /// The digest of everything fed so far; the stream cannot be fed afterwards.
        public func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            let ok = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
            precondition(ok == 1 && length == 32, "EVP_DigestFinal_ex failed")
            return Array(digest.prefix(Int(length)))
        }
    }
}
