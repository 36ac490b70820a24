import AuditCore

/// Space ids travel as their `owner/name` text.
extension SpaceID: PostgresEncodable {
    public var postgresText: String? { description }
    public static var postgresTypeOID: UInt32 { 0 }
}
