/// Column alignment for the terminal renderer. Widths are measured in Characters before any
/// colour is applied, so ANSI escapes never shift the columns. (East-Asian wide characters
/// and emoji count as one column; good enough for ids, URIs and numbers.)
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]]
    /// Columns aligned right (numbers).
    public var numeric: Set<Int> = []

    public init(headers: [String], rows: [[String]], numeric: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.numeric = numeric
    }

    public func render(colour: (_ column: Int, _ cell: String, _ padded: String) -> String = { _, _, p in p }) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String], header: Bool) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                let padded = numeric.contains(i) ? pad + cell : cell + pad
                return header ? padded : colour(i, cell, padded)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(headers, header: true)] + rows.map { line($0, header: false) }).joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
