import Foundation

/// The claims of an ID token that passed every check of `IDTokenVerifier`.
public struct IDTokenClaims: Sendable, Equatable {
    public let subject: String
    public let nonce: String
    public let issuer: String
    public let audience: [String]
    public let authorizedParty: String?
    public let expiresAt: Date
    public let issuedAt: Date
    public let preferredUsername: String?
    public let name: String?

    public init(
        subject: String, nonce: String, issuer: String, audience: [String], authorizedParty: String?,
        expiresAt: Date, issuedAt: Date, preferredUsername: String?, name: String?
    ) {
        self.subject = subject
        self.nonce = nonce
        self.issuer = issuer
        self.audience = audience
        self.authorizedParty = authorizedParty
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.preferredUsername = preferredUsername
        self.name = name
    }
}
