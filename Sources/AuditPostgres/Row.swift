import Foundation

/// One result row, copied out of libpq into Swift strings (text format), read by column name.
/// Accessors throw a `PostgresError` naming the column when it is missing, NULL where a value
/// is required, or not of the requested type.
public struct Row: Sendable {
    let columns: Columns
    let values: [String?]

    /// Column names and a name → index table, shared by all rows of one result.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]

        init(_ names: [String]) {
            self.names = names
            // With duplicate names the first column wins, as in most drivers.
            self.index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public var columnNames: [String] { columns.names }

    /// The raw text of a column, nil for NULL.
    public func text(_ column: String) throws(PostgresError) -> String? {
        guard let i = columns.index[column] else {
            throw PostgresError(
                .decoding, "no column \"\(column)\" in result (columns: \(columns.names.joined(separator: ", ")))")
        }
        return values[i]
    }

    public func isNull(_ column: String) throws(PostgresError) -> Bool { try text(column) == nil }

    // MARK: Required values

    public func string(_ column: String) throws(PostgresError) -> String { try required(column, "text") { $0 } }
    public func int(_ column: String) throws(PostgresError) -> Int { try required(column, "Int") { Int($0) } }
    public func bool(_ column: String) throws(PostgresError) -> Bool {
        try required(column, "Bool", TextFormat.parseBool)
    }
    public func double(_ column: String) throws(PostgresError) -> Double {
        try required(column, "Double", Row.parseDouble)
    }
    /// timestamptz (or date); exact to the microsecond.
    public func date(_ column: String) throws(PostgresError) -> Date {
        try required(column, "timestamptz", Timestamp.parse)
    }
    public func uuid(_ column: String) throws(PostgresError) -> UUID { try required(column, "uuid") { UUID(uuidString: $0) } }
    /// bytea, from its hex text output.
    public func bytes(_ column: String) throws(PostgresError) -> [UInt8] {
        try required(column, "bytea", TextFormat.parseBytea)
    }
    /// text[]; a NULL element is an error (use `nullableStringArray` to keep them).
    public func stringArray(_ column: String) throws(PostgresError) -> [String] {
        try required(column, "text[] without NULL elements") { text in
            guard let elements = TextFormat.parseArray(text) else { return nil }
            let strings = elements.compactMap { $0 }
            return strings.count == elements.count ? strings : nil
        }
    }
    /// text[] whose elements may be NULL.
    public func nullableStringArray(_ column: String) throws(PostgresError) -> [String?] {
        try required(column, "text[]", TextFormat.parseArray)
    }

    // MARK: Optional values (NULL is nil)

    public func optionalString(_ column: String) throws(PostgresError) -> String? { try text(column) }
    public func optionalInt(_ column: String) throws(PostgresError) -> Int? {
        try isNull(column) ? nil : int(column)
    }
    public func optionalBool(_ column: String) throws(PostgresError) -> Bool? {
        try isNull(column) ? nil : bool(column)
    }
    public func optionalDouble(_ column: String) throws(PostgresError) -> Double? {
        try isNull(column) ? nil : double(column)
    }
    public func optionalDate(_ column: String) throws(PostgresError) -> Date? {
        try isNull(column) ? nil : date(column)
    }
    public func optionalUUID(_ column: String) throws(PostgresError) -> UUID? {
        try isNull(column) ? nil : uuid(column)
    }
    public func optionalBytes(_ column: String) throws(PostgresError) -> [UInt8]? {
        try isNull(column) ? nil : bytes(column)
    }
    public func optionalStringArray(_ column: String) throws(PostgresError) -> [String]? {
        try isNull(column) ? nil : stringArray(column)
    }

    // MARK: Helpers

    private func required<T>(
        _ column: String, _ typeName: String, _ parse: (String) -> T?
    ) throws(PostgresError) -> T {
        guard let text = try text(column) else {
            throw PostgresError(.decoding, "column \"\(column)\" is NULL, expected \(typeName)")
        }
        // The value itself stays out of the message: it may be personal data.
        guard let value = parse(text) else {
            throw PostgresError(.decoding, "column \"\(column)\" is not a valid \(typeName)")
        }
        return value
    }

    private static func parseDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }
}
