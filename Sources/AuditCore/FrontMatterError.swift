/// Why a README's front matter could not be read. `line` is the 1-based line in the README
/// itself (not in the YAML block, and with no file name), so the CLI can prefix whatever
/// path it read and the dashboard can show it as is.
public struct FrontMatterError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case noFrontMatter = "no_front_matter"
        case unterminated = "unterminated_front_matter"
        case invalidYAML = "invalid_yaml"
        case notAMapping = "not_a_mapping"
        case wrongType = "wrong_type"
    }

    public var kind: Kind
    public var line: Int
    public var message: String

    public init(_ kind: Kind, line: Int, _ message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
