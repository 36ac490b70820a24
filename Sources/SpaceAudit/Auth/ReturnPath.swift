/// Where to send the browser after sign-in: a local path only, never another site.
///
/// `return_to` arrives percent-decoded once (by the query parser). It is kept only when it is
/// plainly a path on this origin: it starts with exactly one `/` (not `//host`, not `/\host`, which
/// browsers read as `//host`), contains only visible ASCII without `\` (browsers drop tabs and
/// newlines, turning `/\t/host` into `//host`), and stays so after further rounds of
/// percent-decoding (`/%2F%2Fhost`, `%252F…`), in case anything downstream decodes again.
/// Anything else is dropped, and the sign-in lands on `/`. Paths back into the sign-in itself
/// (`/login…`, `/auth/callback`, `/logout`) are dropped too, so a sign-in cannot loop.
enum ReturnPath {
    static let maximumLength = 2048
    static let fallback = "/"

    /// The path to keep, or nil to drop `raw`.
    static func sanitize(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= maximumLength else { return nil }
        var layer = raw
        for _ in 0..<4 {
            guard isPlainLocalPath(layer) else { return nil }
            // A malformed escape is refused rather than guessed at.
            guard let decoded = percentDecoded(layer) else { return nil }
            if decoded == layer { break }
            layer = decoded
        }
        guard isPlainLocalPath(layer) else { return nil }
        let path = String(raw.prefix { $0 != "?" && $0 != "#" }).lowercased()
        let reserved = ["/login", "/auth/callback", "/logout"]
        if reserved.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return nil }
        return raw
    }

    static func isPlainLocalPath(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }
    }

    /// One round of %XX decoding; nil when the text has a malformed escape or decodes to
    /// invalid UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                out.append(byte)
                continue
            }
            guard bytes.count >= 2, let hi = hexValue(bytes.popFirst()!), let lo = hexValue(bytes.popFirst()!) else { return nil }
            out.append(hi << 4 | lo)
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
