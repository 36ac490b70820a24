/// The audit CSV of product.md §8, one row at a time so exports stream with flat memory:
/// write `header` once, then `encode(_:)` per event. UTF-8 without BOM, CRLF line ends,
/// RFC 4180 quoting and formula neutralisation (see `CSV`). Array columns (orgs, scopes)
/// are joined with a single space; timestamps are RFC 3339 UTC; absent values are empty.
public struct AuditCSVEncoder: Sendable {
    public static let columns = [
        "event_id", "occurred_at", "space", "event", "outcome", "reason", "user_sub", "username", "orgs",
        "scopes_requested", "scopes_granted", "redirect_uri", "client_id", "client_ip", "user_agent", "source", "hash",
    ]

    public init() {}

    public var header: [UInt8] { Array(CSV.row(Self.columns).utf8) }

    public func encode(_ e: LoginEvent) -> [UInt8] {
        Array(CSV.row(Self.values(e)).utf8)
    }

    /// The cells of one event in column order, before CSV quoting.
    static func values(_ e: LoginEvent) -> [String] {
        [
            e.eventID, RFC3339.format(e.occurredAt), e.spaceID.description, e.event.rawValue,
            e.outcome?.rawValue ?? "", e.reason ?? "", e.userSub ?? "", e.username ?? "",
            e.orgs.joined(separator: " "), e.scopesRequested.joined(separator: " "),
            e.scopesGranted.joined(separator: " "), e.redirectURI ?? "", e.clientID ?? "",
            e.clientIP ?? "", e.userAgent ?? "", e.source.rawValue, e.hash,
        ]
    }
}
