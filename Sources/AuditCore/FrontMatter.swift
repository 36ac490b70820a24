/// The YAML block at the top of a Space README.md, located the way the Hub does it
/// (huggingface_hub `REGEX_YAML_BLOCK`): the first line is `---`, the block ends at the next
/// line that is exactly `---` (trailing spaces/tabs allowed). Anything after that, including
/// further `---` rules in the Markdown body, is body text and never parsed.
public struct FrontMatter: Sendable, Equatable {
    /// Always a mapping (an empty block gives an empty mapping).
    public var root: YAMLValue
    /// The raw YAML between the delimiters, LF-normalised.
    public var yaml: String
    /// README line of the first YAML line (the line after the opening `---`).
    public var firstLine: Int

    /// Extracts and parses the front matter. Accepts an optional UTF-8 BOM and LF or CRLF.
    public static func parse(readme: String) throws(FrontMatterError) -> FrontMatter {
        let (yaml, firstLine) = try extract(readme: readme)
        let root = try YAMLParser.parse(yaml, firstLine: firstLine) ?? .mapping([], line: firstLine)
        guard case .mapping = root else {
            throw FrontMatterError(
                .notAMapping, line: root.line, "front matter must be a mapping of keys to values, got \(root.displayText)")
        }
        return FrontMatter(root: root, yaml: yaml, firstLine: firstLine)
    }

    /// Byte-level entry for callers holding file contents; invalid UTF-8 is repaired rather
    /// than rejected because only the YAML keys matter and those are ASCII.
    public static func parse(readme bytes: [UInt8]) throws(FrontMatterError) -> FrontMatter {
        try parse(readme: String(decoding: bytes, as: UTF8.self))
    }

    /// Splits off the YAML text; returns it with the README line number of its first line.
    public static func extract(readme: String) throws(FrontMatterError) -> (yaml: String, firstLine: Int) {
        var text = Substring(readme)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        // Splitting on Character.isNewline treats "\r\n" as one separator (it is one grapheme),
        // so CRLF and LF files give the same lines; a lone "\r" also counts, as in Python.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let first = lines.first, isDelimiter(first) else {
            throw FrontMatterError(.noFrontMatter, line: 1, "no front matter: README.md must start with a '---' line")
        }
        guard let close = lines.dropFirst().firstIndex(where: isDelimiter) else {
            throw FrontMatterError(.unterminated, line: 1, "unterminated front matter: the '---' on line 1 has no closing '---' line")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        return (yaml, 2)
    }

    private static func isDelimiter(_ line: Substring) -> Bool {
        guard line.hasPrefix("---") else { return false }
        return line.dropFirst(3).allSatisfy { $0 == " " || $0 == "\t" }
    }
}
