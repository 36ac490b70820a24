import AuditCore
import AuditHTTP
import Foundation

/// Who is at the other end of a request, as the audit log stores it.
///
/// Client IP: the socket peer. In a Space the peer is HF's proxy, which appends the real client
/// to `X-Forwarded-For`; there (and only there) the LAST entry is taken: entries to its left were
/// written by the client and prove nothing. User agent: capped, control characters removed.
struct ClientInfo: Sendable, Equatable {
    static let maximumUserAgentLength = 512

    let ip: String?
    let userAgent: String?

    init(_ request: Request, behindProxy: Bool) {
        var ip = request.remoteAddress
        if behindProxy, let forwarded = request.header("X-Forwarded-For") {
            let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !last.isEmpty, last.count <= 64, last.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) { ip = last }
        }
        self.ip = ip.isEmpty ? nil : ip
        let agent = request.header("User-Agent").map { text in
            String(
                String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(
                    Self.maximumUserAgentLength))
        }
        self.userAgent = agent?.isEmpty == false ? agent : nil
    }
}
