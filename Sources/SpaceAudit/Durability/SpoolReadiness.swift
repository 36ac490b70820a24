/// What /readyz says about the durability spool.
struct SpoolReadiness: Sendable, Encodable, Equatable {
    let pendingBatches: Int
    let pendingBytes: Int
    let maxBytes: Int
    /// Over its limit: ingest answers 503 and sign-in fails closed until it drains.
    let full: Bool

    enum CodingKeys: String, CodingKey {
        case pendingBatches = "pending_batches"
        case pendingBytes = "pending_bytes"
        case maxBytes = "max_bytes"
        case full
    }
}
