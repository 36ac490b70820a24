import Foundation

/// A row of `spaces` as the dashboard shows it. The metadata stays the stored JSON text: the
/// API passes it through rather than re-deriving it.
public struct SpaceRegistration: Sendable, Equatable {
    public let host: String
    public let callbacks: [String]
    public let metadataJSON: String
    public let createdAt: Date
    public let updatedAt: Date
}
