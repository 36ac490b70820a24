/// Typed reads of front-matter keys. Each one throws a `.wrongType` error that names the key,
/// quotes what was found and points at its line, e.g.
/// "hf_oauth_expiration_minutes must be an integer, got 'abc'".
/// A key that is absent or explicitly null reads as nil, so callers apply their defaults.
extension FrontMatter {
    public func string(_ key: String) throws(FrontMatterError) -> String? {
        guard let entry = root[key], !entry.value.isNull else { return nil }
        guard case .scalar(let text, _, _) = entry.value else {
            throw wrongType(entry, "a string")
        }
        return text
    }

    /// Only unquoted decimal integers: `"480"` in quotes is a YAML string, and the Hub's own
    /// (JavaScript, YAML 1.2) loader would not read it as a number either.
    public func int(_ key: String) throws(FrontMatterError) -> Int? {
        guard let entry = root[key], !entry.value.isNull else { return nil }
        guard case .scalar(let text, false, _) = entry.value, let value = Self.parseInt(text) else {
            throw wrongType(entry, "an integer")
        }
        return value
    }

    /// YAML 1.2 core-schema booleans only. `yes`/`on` are strings in YAML 1.2 (the Hub's
    /// loader) even though PyYAML reads them as true, so they are rejected, not guessed.
    public func bool(_ key: String) throws(FrontMatterError) -> Bool? {
        guard let entry = root[key], !entry.value.isNull else { return nil }
        if case .scalar(let text, false, _) = entry.value {
            if ["true", "True", "TRUE"].contains(text) { return true }
            if ["false", "False", "FALSE"].contains(text) { return false }
        }
        throw wrongType(entry, "true or false")
    }

    /// A list of strings; a single scalar is returned as-is in `.scalar` so callers decide
    /// whether it is one item (an org name) or a space-separated list (legacy scopes).
    public func stringList(_ key: String) throws(FrontMatterError) -> StringListForm? {
        guard let entry = root[key], !entry.value.isNull else { return nil }
        switch entry.value {
        case .scalar(let text, _, _):
            return .scalar(text)
        case .sequence(let items, _):
            var out: [String] = []
            for item in items {
                guard case .scalar(let text, _, _) = item else {
                    throw FrontMatterError(
                        .wrongType, line: item.line, "\(key) must be a list of strings, got \(item.displayText) as an item")
                }
                out.append(text)
            }
            return .list(out)
        case .mapping:
            throw wrongType(entry, "a string or a list of strings")
        }
    }

    public enum StringListForm: Sendable, Equatable {
        case scalar(String)
        case list([String])
    }

    private func wrongType(_ entry: YAMLEntry, _ expected: String) -> FrontMatterError {
        let got: String
        if case .scalar(let text, _, _) = entry.value { got = "'\(text)'" } else { got = entry.value.displayText }
        return FrontMatterError(.wrongType, line: entry.keyLine, "\(entry.key) must be \(expected), got \(got)")
    }

    static func parseInt(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "+" { digits = digits.dropFirst() }
        let body = digits.first == "-" ? digits.dropFirst() : digits
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
