import Foundation

/// RFC 4180 field and row encoding shared by the audit CSV and the report CSV.
///
/// Formula-injection neutralisation (OWASP "CSV injection"): a cell whose first character is
/// `=`, `+`, `-`, `@`, TAB or CR would be evaluated by Excel/LibreOffice/Sheets as a formula,
/// so it gets a leading `'`, which spreadsheets hide and treat as "this is text". The value
/// is otherwise unchanged; a reader that wants the original strips one leading `'` from
/// cells whose second character is one of those six. Numbers we write ourselves (counts)
/// are never negative, so no legitimate cell is altered.
public enum CSV {
    static let formulaStarters: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    /// One field: neutralised, then quoted when it contains a comma, a quote, CR or LF
    /// (quotes doubled). Everything else is written as is, UTF-8, emoji included.
    public static func field(_ value: String) -> String {
        var v = value
        if let first = v.first, formulaStarters.contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A full record terminated by CRLF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
