/// A Space repository id `owner/name`. The charset and length follow the Hub's repo-name
/// rules closely enough to reject garbage and path tricks (`..`, slashes, spaces) before an
/// id reaches a URL, a SQL parameter or a file name.
public struct SpaceID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let owner: String
    public let name: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isValidPart(parts[0]), Self.isValidPart(parts[1]) else { return nil }
        owner = String(parts[0])
        name = String(parts[1])
    }

    public var description: String { "\(owner)/\(name)" }

    /// The direct-URL host the Hub gives a Space: `{owner}-{name}.hf.space`, lowercased, with
    /// `_` and `.` turned into `-` (what `SPACE_HOST` holds, hf-oauth.md §2 and §12.6).
    ///
    /// Outside a Space, SpaceAudit records its own sign-ins as `local/<public host>`
    /// (`Config.serviceSpaceID`); that id's host is its public host, so the rules do not treat
    /// a local run as a deployed `*.hf.space` Space.
    public var defaultHost: String {
        if isServiceLocal { return name.lowercased() }
        let mapped = "\(owner)-\(name)".lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 }
        return String(mapped) + ".hf.space"
    }

    /// The id SpaceAudit gives itself when it does not run in a Space.
    public var isServiceLocal: Bool { owner == "local" }

    private static func isValidPart(_ part: Substring) -> Bool {
        guard (1...96).contains(part.count), part != ".", part != ".." else { return false }
        return part.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == ".")
        }
    }

    /// Case-insensitive first (how people scan a list), then exact, so the order is total.
    public static func < (lhs: SpaceID, rhs: SpaceID) -> Bool {
        let (l, r) = (lhs.description.lowercased(), rhs.description.lowercased())
        return l != r ? l < r : lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = SpaceID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid Space id '\(text)'"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
