/// A deliberately small YAML model: front matter only needs scalars, lists and maps.
/// Keeping the 1-based source line on every node lets errors point at the offending key
/// without the caller ever touching libyaml.
public indirect enum YAMLValue: Sendable, Equatable {
    /// `style` records whether the scalar was quoted: a quoted `"true"` is a string, not a Bool.
    case scalar(String, quoted: Bool, line: Int)
    case sequence([YAMLValue], line: Int)
    case mapping([YAMLEntry], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, _, let line), .sequence(_, let line), .mapping(_, let line): return line
        }
    }

    /// Looks a key up in a mapping; the last occurrence wins, as in most YAML loaders.
    public subscript(key: String) -> YAMLEntry? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.last { $0.key == key }
    }

    /// How the value looks in an error message: scalars verbatim, containers by kind.
    public var displayText: String {
        switch self {
        case .scalar(let text, _, _): return text
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// YAML 1.1/1.2 core-schema null spellings, for unquoted scalars only.
    public var isNull: Bool {
        if case .scalar(let text, false, _) = self { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }
}

/// One `key: value` pair with the line of the key (not of the value, which may be lines later).
public struct YAMLEntry: Sendable, Equatable {
    public var key: String
    public var keyLine: Int
    public var value: YAMLValue

    public init(key: String, keyLine: Int, value: YAMLValue) {
        self.key = key
        self.keyLine = keyLine
        self.value = value
    }
}
