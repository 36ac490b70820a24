/// One forward-only schema change, read by the caller from `sql/NNNN_verb_object.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    /// The `verb_object` part of the file name, e.g. `create_schema`.
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// `0001_create_schema.sql`, as named in errors and logs.
    public var fileName: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name + ".sql"
    }

    /// Builds a migration from a file, checking the name is `NNNN_verb_object.sql`: four
    /// digits (version ≥ 1), then at least two lowercase words of `a-z0-9` joined by `_`.
    public static func parse(fileName: String, contents: String) throws(PostgresError) -> Migration {
        let invalid = PostgresError(
            .invalidMigration, "migration file name \"\(fileName)\" is not NNNN_verb_object.sql (e.g. 0002_add_spaces_owner.sql)")
        guard fileName.hasSuffix(".sql") else { throw invalid }
        let stem = fileName.utf8.dropLast(4)
        let parts = stem.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].count == 4, parts[0].allSatisfy(isDigit),
            let version = Int(String(decoding: parts[0], as: UTF8.self)), version >= 1
        else { throw invalid }
        let words = parts.dropFirst()
        guard words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { isLowercase($0) || isDigit($0) } }),
            isLowercase(words.first!.first!)
        else { throw invalid }
        let name = words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "_")
        return Migration(version: version, name: name, sql: contents)
    }

    private static func isDigit(_ c: UInt8) -> Bool { (48...57).contains(c) }
    private static func isLowercase(_ c: UInt8) -> Bool { (97...122).contains(c) }
}
