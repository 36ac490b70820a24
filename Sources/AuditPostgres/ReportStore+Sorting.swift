import AuditCore

extension ReportStore {
    /// `rows` in SpaceID order, then `inOrder` within a Space: the same order as comparing
    /// `(spaceID, …)` tuples, but each distinct Space is ranked once. SpaceID's `<` lowercases
    /// both ids on every comparison, which made sorting 23,000 user and grant rows about 20 %
    /// of a report's CPU time (perf, bench/README.md).
    static func sortedBySpace<Element>(
        _ rows: [Element], _ space: (Element) -> SpaceID, then inOrder: (Element, Element) -> Bool
    ) -> [Element] {
        let rank = Dictionary(uniqueKeysWithValues: Set(rows.map(space)).sorted().enumerated().map { ($1, $0) })
        return rows.map { (rank[space($0)]!, $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : inOrder($0.1, $1.1) }
            .map(\.1)
    }
}

/// Parses each distinct `space_id` text of a result once: a report reads thousands of rows
/// for a handful of Spaces, and SpaceID's validation walks every character.
struct SpaceIDColumn {
    private var parsed: [String: SpaceID] = [:]

    mutating func value(_ row: Row) throws -> SpaceID {
        let text = try row.string("space_id")
        if let id = parsed[text] { return id }
        guard let id = SpaceID(text) else {
            throw PostgresError(.decoding, "a rollup row holds an invalid Space id")
        }
        parsed[text] = id
        return id
    }
}
