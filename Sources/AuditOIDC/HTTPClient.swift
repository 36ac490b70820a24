import Foundation

/// The one seam for outbound HTTP. Blocking on purpose: callers run on HTTP connection threads
/// that may block (never on Swift's cooperative pool). Tests inject a fake.
public protocol HTTPClient: Sendable {
    func send(_ request: OutboundRequest) throws -> OutboundResponse
}

public struct OutboundRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: [UInt8]?
    /// Whole-request deadline in seconds.
    public var timeout: TimeInterval
    /// False for token and userinfo: a redirect there would carry credentials elsewhere
    /// (or turn a POST into a GET), so the 3xx is returned as is.
    public var followRedirects: Bool

    public init(
        method: String = "GET", url: URL, headers: [String: String] = [:], body: [UInt8]? = nil,
        timeout: TimeInterval = 10, followRedirects: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.followRedirects = followRedirects
    }
}

public struct OutboundResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Transport failures; the OIDC layer maps them to `provider_unreachable` or the step's failure.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case timeout, transport
        case responseTooLarge = "response_too_large"
    }
    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
