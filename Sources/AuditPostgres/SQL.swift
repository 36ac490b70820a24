/// A statement and its bind parameters, built by string interpolation:
///
///     let sql: SQL = "SELECT id FROM spaces WHERE host = \(host) AND created_at > \(since)"
///
/// Every interpolated value becomes a `$n` parameter sent apart from the text (never spliced),
/// so no value can change the statement. Identifiers cannot be parameters: use
/// `\(identifier: name)` (quoted) or, for text you validated yourself, `\(unsafeRaw: text)`.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1`, `$2`… placeholders.
    public private(set) var text: String
    /// Parameter values in order, in PostgreSQL text format (nil is NULL).
    var binds: [Bind]

    struct Bind: Sendable, Equatable {
        var text: String?
        var typeOID: UInt32
    }

    public init(stringLiteral value: String) {
        text = value
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
        binds = stringInterpolation.binds
    }

    /// The statement text only; values stay out of logs and error messages.
    public var description: String { text }

    /// The parameter values as text, for tests and debugging; never log them.
    public var parameterTexts: [String?] { binds.map(\.text) }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        var binds: [Bind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// A value: sent as the next `$n` parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(Bind(text: value.postgresText, typeOID: Value.postgresTypeOID))
            text += "$\(binds.count)"
        }

        /// An optional value: NULL when nil. (Spelled out so the compiler does not warn about
        /// interpolating an Optional, which here is intended.)
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(Bind(text: value?.postgresText, typeOID: Value.postgresTypeOID))
            text += "$\(binds.count)"
        }

        /// An identifier (table, column, schema): double-quoted with embedded quotes doubled,
        /// which is safe for any string.
        public mutating func appendInterpolation(identifier: String) {
            text += "\"" + identifier.replacingAll("\"", with: "\"\"") + "\""
        }

        /// Text spliced verbatim into the statement. Only for fragments the caller built from
        /// constants or validated itself; never for input.
        public mutating func appendInterpolation(unsafeRaw fragment: String) {
            text += fragment
        }
    }
}

extension String {
    /// Replaces by Unicode scalar, not Character: a quote followed by a combining mark is one
    /// Character ("\u{22}\u{301}") yet still a quote to PostgreSQL, and must be escaped.
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}
