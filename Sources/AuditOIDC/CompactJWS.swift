import AuditCore

/// A JWS in compact serialisation, split and decoded strictly; the signature is not checked here.
struct CompactJWS {
    let header: [String: JSONValue]
    let payload: [String: JSONValue]
    let signingInput: [UInt8]
    let signature: [UInt8]

    init(_ token: String) throws(OIDCError) {
        guard token.utf8.count <= IDTokenVerifier.maximumTokenLength else { throw .idToken(.malformed, "token too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .idToken(.malformed, "expected 3 dot-separated parts, got \(parts.count)") }
        guard let headerBytes = Crypto.base64URLDecode(parts[0]), let header = JSONValue.object(from: headerBytes) else {
            throw .idToken(.malformed, "header is not base64url JSON object")
        }
        guard let payloadBytes = Crypto.base64URLDecode(parts[1]), let payload = JSONValue.object(from: payloadBytes) else {
            throw .idToken(.malformed, "payload is not base64url JSON object")
        }
        guard let signature = Crypto.base64URLDecode(parts[2]) else { throw .idToken(.malformed, "signature is not base64url") }
        self.header = header
        self.payload = payload
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = signature
    }
}
