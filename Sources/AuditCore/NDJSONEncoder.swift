/// NDJSON export: one JSON object per line (LF), keys exactly the audit-CSV column names in
/// the same order. Unlike CSV, arrays stay JSON arrays, absent values are `null`, and no
/// formula neutralisation is applied (JSON is not opened by spreadsheets as formulas).
public struct NDJSONEncoder: Sendable {
    public init() {}

    public func encode(_ e: LoginEvent) -> [UInt8] {
        func s(_ v: String?) -> String { v.map(JSONText.string) ?? "null" }
        func a(_ v: [String]) -> String { "[" + v.map(JSONText.string).joined(separator: ",") + "]" }
        let values: [String] = [
            s(e.eventID), s(RFC3339.format(e.occurredAt)), s(e.spaceID.description), s(e.event.rawValue),
            s(e.outcome?.rawValue), s(e.reason), s(e.userSub), s(e.username), a(e.orgs),
            a(e.scopesRequested), a(e.scopesGranted), s(e.redirectURI), s(e.clientID), s(e.clientIP),
            s(e.userAgent), s(e.source.rawValue), s(e.hash),
        ]
        let body = zip(AuditCSVEncoder.columns, values).map { "\"\($0)\":\($1)" }.joined(separator: ",")
        return Array(("{" + body + "}\n").utf8)
    }
}

/// Minimal JSON string escaping (RFC 8259 §7): quote, backslash and control characters;
/// U+2028/2029 too so a line can be pasted into JavaScript. Non-ASCII stays UTF-8.
enum JSONText {
    static func string(_ v: String) -> String {
        var out = "\""
        for u in v.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}", "\u{2029}": out += "\\u\(hex4(u.value))"
            default:
                if u.value < 0x20 { out += "\\u\(hex4(u.value))" } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: 4 - h.count) + h
    }
}
