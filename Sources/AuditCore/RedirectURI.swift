import Foundation

/// A redirect/callback URI split into the parts the rules care about. Hand-parsed (RFC 3986
/// §3 generic syntax) rather than via URLComponents so that malformed input still yields
/// parts to report, and IPv6 brackets, user-info and empty fragments are kept as written.
public struct RedirectURI: Sendable, Equatable {
    public var raw: String
    /// Lowercased; empty when the string has no `scheme:`.
    public var scheme: String
    public var userInfo: String?
    /// Lowercased, without IPv6 brackets.
    public var host: String
    public var port: Int?
    public var path: String
    public var query: String?
    /// Non-nil (possibly empty) when a `#` is present.
    public var fragment: String?

    public init(_ raw: String) {
        self.raw = raw
        var rest = Substring(raw.trimmingCharacters(in: .whitespaces))
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        scheme = ""
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
            rest[..<colon].first?.isLetter == true
        {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        host = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                userInfo = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = authority[authority.index(after: authority.startIndex)..<close].lowercased()
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { port = Int(after.dropFirst()) }
            } else if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon].lowercased()
                port = Int(authority[authority.index(after: colon)...])
            } else {
                host = authority.lowercased()
            }
        }
        path = String(rest)
    }

    /// Port with the scheme default applied.
    public var effectivePort: Int? { port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil) }

    /// The identity used to compare callbacks (R003): scheme, host, non-default port and
    /// path, ignoring the query, because Gradio and huggingface_hub append `_target_url`
    /// and `_nb_redirects` to the same callback on every login (hf-oauth.md §3.1).
    public var matchKey: String {
        let defaultPort = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        let portPart = port.map { defaultPort ? "" : ":\($0)" } ?? ""
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(portPart)\(path)"
    }

    /// Decoded query items in order; `+` means space as in HTML forms.
    public var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let plus = s.replacingOccurrences(of: "+", with: " ")
                return plus.removingPercentEncoding ?? plus
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, and the unspecified addresses.
    public var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "0.0.0.0" || host == "::" {
            return true
        }
        return ipv4.map { $0[0] == 127 } ?? false
    }

    /// RFC 1918, link-local, CGNAT (100.64/10), IPv6 ULA (fc00::/7) and link-local (fe80::/10),
    /// and mDNS/intranet names (`.local`, `.internal`, `.lan`): unreachable from a user's browser
    /// on the internet, so such a callback on a deployed Space is a leftover.
    public var isPrivateNetwork: Bool {
        if let ip = ipv4 {
            return ip[0] == 10 || (ip[0] == 172 && (16...31).contains(ip[1])) || (ip[0] == 192 && ip[1] == 168)
                || (ip[0] == 169 && ip[1] == 254) || (ip[0] == 100 && (64...127).contains(ip[1]))
        }
        if host.contains(":") {
            return host.hasPrefix("fc") || host.hasPrefix("fd") || host.hasPrefix("fe8") || host.hasPrefix("fe9")
                || host.hasPrefix("fea") || host.hasPrefix("feb")
        }
        return host.hasSuffix(".local") || host.hasSuffix(".internal") || host.hasSuffix(".lan")
    }

    public var isLocal: Bool { isLoopback || isPrivateNetwork }

    private var ipv4: [Int]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let nums = parts.compactMap { Int($0) }.filter { (0...255).contains($0) }
        return nums.count == 4 ? nums : nil
    }
}
