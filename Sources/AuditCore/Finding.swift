import Foundation

/// How bad a finding is. Ordered so `--fail-on warning` means "warning or error".
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One thing a rule flagged for one Space (product.md §6).
public struct Finding: Sendable, Equatable, Codable {
    public var ruleID: String
    public var severity: Severity
    public var spaceID: SpaceID
    /// What was observed, quoted exactly (a URI, a scope, a metadata value).
    public var seen: String
    public var expected: String
    /// How many times it was seen at runtime; 1 for a static (metadata/registry) finding.
    public var count: Int
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// One line telling the Space owner what to change.
    public var fix: String

    public init(
        ruleID: String, severity: Severity, spaceID: SpaceID, seen: String, expected: String,
        count: Int = 1, firstSeen: Date? = nil, lastSeen: Date? = nil, fix: String
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.spaceID = spaceID
        self.seen = seen
        self.expected = expected
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.fix = fix
    }

    enum CodingKeys: String, CodingKey {
        case ruleID = "rule_id"
        case severity
        case spaceID = "space"
        case seen, expected, count
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case fix
    }

    /// Report order: worst first, then by Space, rule and what was seen, so output is stable.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.spaceID != b.spaceID { return a.spaceID < b.spaceID }
        if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
        return a.seen < b.seen
    }
}
