import Foundation

/// `--format json`: the `Report` Codable shape with keys sorted (a stable order that does
/// not depend on declaration order), RFC 3339 UTC dates, pretty-printed, slashes unescaped.
public struct JSONReportRenderer: Sendable {
    public init() {}

    public func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(RFC3339.format(date))
        }
        // Encoding plain structs of strings, ints and dates cannot fail.
        let data = try! encoder.encode(report)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Matching decoder (for tests and for consumers written in Swift).
    public static func decode(_ text: String) throws -> Report {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            guard let d = RFC3339.parse(s) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad date \(s)") }
            return d
        }
        return try decoder.decode(Report.self, from: Data(text.utf8))
    }
}
