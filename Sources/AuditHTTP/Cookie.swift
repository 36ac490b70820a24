import Foundation

/// A cookie to set with `Response.setCookie(_:)`.
///
/// Defaults are the safe ones (HttpOnly, Secure, SameSite=Lax, Path=/). Use
/// `Cookie.host(...)` for a `__Host-` cookie, which browsers only accept with Secure,
/// Path=/ and no Domain: the factory enforces exactly that.
public struct Cookie: Sendable, Equatable {
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    public var name: String
    /// Must consist of RFC 6265 cookie-octets (base64url tokens are fine); checked by
    /// precondition because a bad value is a programming error, not input.
    public var value: String
    public var path: String?
    public var domain: String?
    public var maxAge: Int?
    public var expires: Date?
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite?

    public init(
        name: String, value: String, path: String? = "/", domain: String? = nil,
        maxAge: Int? = nil, expires: Date? = nil, secure: Bool = true, httpOnly: Bool = true,
        sameSite: SameSite? = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// `__Host-<name>`: Secure, Path=/, no Domain, so it is bound to this exact origin.
    public static func host(
        name: String, value: String, maxAge: Int? = nil, httpOnly: Bool = true,
        sameSite: SameSite? = .lax
    ) -> Cookie {
        Cookie(
            name: "__Host-" + name, value: value, path: "/", domain: nil, maxAge: maxAge,
            secure: true, httpOnly: httpOnly, sameSite: sameSite)
    }

    /// A cookie that deletes `name` (same path/domain/prefix attributes must match).
    public func expired() -> Cookie {
        var copy = self
        copy.value = ""
        copy.maxAge = 0
        copy.expires = Date(timeIntervalSince1970: 0)
        return copy
    }

    /// The `Set-Cookie` field value.
    public var headerValue: String {
        precondition(Self.isToken(name), "invalid cookie name")
        precondition(value.utf8.allSatisfy(Self.isCookieOctet), "invalid cookie value")
        var parts = ["\(name)=\(value)"]
        if let path { parts.append("Path=\(path)") }
        if let domain { parts.append("Domain=\(domain)") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let expires { parts.append("Expires=\(HTTPDate.format(expires))") }
        if secure { parts.append("Secure") }
        if httpOnly { parts.append("HttpOnly") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }

    static func isToken(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy { b in
                b > 0x20 && b < 0x7F && !"()<>@,;:\\\"/[]?={}".utf8.contains(b)
            }
    }

    /// RFC 6265 cookie-octet: visible ASCII minus `"` `,` `;` `\`.
    static func isCookieOctet(_ b: UInt8) -> Bool {
        b == 0x21 || (0x23...0x2B).contains(b) || (0x2D...0x3A).contains(b)
            || (0x3C...0x5B).contains(b) || (0x5D...0x7E).contains(b)
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) for Expires and Last-Modified.
enum HTTPDate {
    static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tmValue = tm()
        gmtime_r(&t, &tmValue)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &tmValue)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()  // rare (If-Modified-Since only): no shared instance
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
