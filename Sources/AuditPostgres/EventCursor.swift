/// Where the next page of an event log starts: strictly older than this `(occurred_at, seq)`.
///
/// Travels as an opaque token `<microseconds since epoch>.<seq>`; clients pass back what they
/// were given and must not build one. Parsing is strict so a tampered token is a 400, not a
/// silently different page.
public struct EventCursor: Sendable, Equatable {
    public let occurredMicros: Int64
    public let seq: Int64

    public init(occurredMicros: Int64, seq: Int64) {
        self.occurredMicros = occurredMicros
        self.seq = seq
    }

    public var token: String { "\(occurredMicros).\(seq)" }

    /// Nil for anything that is not exactly two decimal integers (the first may be negative for
    /// instants before 1970) with a positive `seq`.
    public init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 20 }),
            parts[1].allSatisfy(\.isASCIIDigitCharacter),
            parts[0].drop(while: { $0 == "-" }).allSatisfy(\.isASCIIDigitCharacter),
            parts[0].filter({ $0 == "-" }).count <= 1,
            let micros = Int64(parts[0]), let seq = Int64(parts[1]), seq > 0
        else { return nil }
        self.init(occurredMicros: micros, seq: seq)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
