/// PostgreSQL text-format encoders and parsers for arrays and bytea, the two formats with
/// quoting rules. Pure functions, unit-tested without a server.
enum TextFormat {
    // MARK: text[]

    /// `{"a","b\"c"}`: every element quoted, `"` and `\` backslash-escaped, so commas,
    /// braces, spaces and the word NULL all stay plain text.
    static func encodeArray(_ elements: [String]) -> String {
        var out = "{"
        for (i, element) in elements.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
            out += "\""
        }
        return out + "}"
    }

    /// Parses a one-dimensional array's text output, e.g. `{a,"b c",NULL,"NULL"}`.
    /// Unquoted NULL is SQL NULL (nil); a quoted "NULL" is the text. Returns nil if malformed
    /// or multi-dimensional.
    static func parseArray(_ text: String) -> [String?]? {
        var bytes = Substring(text).utf8[...]
        // Arrays whose lower bound is not 1 are printed with a prefix: "[0:2]={...}".
        if bytes.first == UInt8(ascii: "[") {
            guard let eq = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            bytes = bytes[bytes.index(after: eq)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        let body = Array(bytes.dropFirst().dropLast())
        if body.isEmpty { return [] }

        var result: [String?] = []
        var i = 0
        while true {
            var element: [UInt8] = []
            var quoted = false
            if body[i] == UInt8(ascii: "{") { return nil }  // nested: not supported
            if body[i] == UInt8(ascii: "\"") {
                quoted = true
                i += 1
                while i < body.count, body[i] != UInt8(ascii: "\"") {
                    if body[i] == UInt8(ascii: "\\") { i += 1 }
                    guard i < body.count else { return nil }
                    element.append(body[i])
                    i += 1
                }
                guard i < body.count else { return nil }  // unterminated quote
                i += 1
            } else {
                while i < body.count, body[i] != UInt8(ascii: ",") {
                    if body[i] == UInt8(ascii: "\\") { i += 1 }
                    guard i < body.count else { return nil }
                    element.append(body[i])
                    i += 1
                }
            }
            let value = String(decoding: element, as: UTF8.self)
            result.append(!quoted && value.uppercased() == "NULL" ? nil : value)
            if i == body.count { return result }
            guard body[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            guard i < body.count else { return nil }  // trailing comma
        }
    }

    // MARK: bytea

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// bytea hex format, `\x0aff`.
    static func encodeBytea(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses bytea hex output (`\x...`, the default since PostgreSQL 9.0).
    static func parseBytea(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"),
            utf8.count % 2 == 0
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity((utf8.count - 2) / 2)
        var i = 2
        while i < utf8.count {
            guard let hi = hexValue(utf8[i]), let lo = hexValue(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: bool

    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: return nil
        }
    }
}
