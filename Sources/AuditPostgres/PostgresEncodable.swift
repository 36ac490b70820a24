import Foundation

/// A Swift value that can travel as a bind parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The value as PostgreSQL's input function reads it; nil is SQL NULL.
    var postgresText: String? { get }
    /// The parameter's type OID; 0 lets the server infer it from the statement.
    static var postgresTypeOID: UInt32 { get }
}

/// Built-in type OIDs (pg_type.oid), fixed since PostgreSQL 7.
enum TypeOID {
    static let unknown: UInt32 = 0
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let int8: UInt32 = 20
    static let float8: UInt32 = 701
    static let int8Array: UInt32 = 1016
    static let textArray: UInt32 = 1009
    static let timestamptz: UInt32 = 1184
    static let uuid: UInt32 = 2950
}

extension String: PostgresEncodable {
    public var postgresText: String? { self }
    // Untyped, so a String fits text, varchar, jsonb, uuid or enum columns alike.
    public static var postgresTypeOID: UInt32 { TypeOID.unknown }
}

extension Int: PostgresEncodable {
    public var postgresText: String? { String(self) }
    public static var postgresTypeOID: UInt32 { TypeOID.int8 }
}

extension Int64: PostgresEncodable {
    public var postgresText: String? { String(self) }
    public static var postgresTypeOID: UInt32 { TypeOID.int8 }
}

extension Bool: PostgresEncodable {
    public var postgresText: String? { self ? "true" : "false" }
    public static var postgresTypeOID: UInt32 { TypeOID.bool }
}

extension Double: PostgresEncodable {
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return description  // shortest text that round-trips
    }
    public static var postgresTypeOID: UInt32 { TypeOID.float8 }
}

extension Date: PostgresEncodable {
    /// RFC 3339 in UTC with microseconds, PostgreSQL's own precision.
    public var postgresText: String? { Timestamp.format(self) }
    public static var postgresTypeOID: UInt32 { TypeOID.timestamptz }
}

extension UUID: PostgresEncodable {
    public var postgresText: String? { uuidString }
    public static var postgresTypeOID: UInt32 { TypeOID.uuid }
}

extension Data: PostgresEncodable {
    public var postgresText: String? { TextFormat.encodeBytea(self) }
    public static var postgresTypeOID: UInt32 { TypeOID.bytea }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { self?.postgresText }
    public static var postgresTypeOID: UInt32 { Wrapped.postgresTypeOID }
}

/// Element types an Array can be sent for. Swift allows one conditional conformance of Array
/// to a protocol, so the element decides the encoding: [String] is text[], [Int] is int8[],
/// and [UInt8] is bytea (bytes, not an array of numbers).
public protocol PostgresArrayElement: Sendable {
    static func postgresText(of array: [Self]) -> String
    static var postgresArrayTypeOID: UInt32 { get }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresText: String? { Element.postgresText(of: self) }
    public static var postgresTypeOID: UInt32 { Element.postgresArrayTypeOID }
}

extension String: PostgresArrayElement {
    public static func postgresText(of array: [String]) -> String { TextFormat.encodeArray(array) }
    public static var postgresArrayTypeOID: UInt32 { TypeOID.textArray }
}

extension Int: PostgresArrayElement {
    public static func postgresText(of array: [Int]) -> String {
        "{" + array.map(String.init).joined(separator: ",") + "}"
    }
    public static var postgresArrayTypeOID: UInt32 { TypeOID.int8Array }
}

extension UInt8: PostgresArrayElement {
    public static func postgresText(of array: [UInt8]) -> String { TextFormat.encodeBytea(array) }
    public static var postgresArrayTypeOID: UInt32 { TypeOID.bytea }
}
