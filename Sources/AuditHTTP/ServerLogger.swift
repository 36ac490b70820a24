import Foundation

/// One finished request, for access logs. Deliberately without query string, cookies
/// or any header: those carry tokens.
public struct RequestLog: Sendable {
    public var method: String
    /// Raw path without query.
    public var path: String
    public var status: Int
    public var duration: Duration
}

/// Where the server reports. Injected so tests can capture and the executable can choose
/// its format; defaults write one line to standard error.
public struct ServerLogger: Sendable {
    /// Server-side failures: handler errors (with detail, never sent to clients), MHD messages.
    public var error: @Sendable (String) -> Void
    public var request: @Sendable (RequestLog) -> Void

    public init(
        error: @escaping @Sendable (String) -> Void,
        request: @escaping @Sendable (RequestLog) -> Void
    ) {
        self.error = error
        self.request = request
    }

    public static let standardError = ServerLogger(
        error: { line in StandardError.write("http error: \(line)\n") },
        request: { log in
            let ms =
                Double(log.duration.components.attoseconds) / 1e15
                + Double(log.duration.components.seconds) * 1000
            StandardError.write("\(log.method) \(log.path) \(log.status) \(Int(ms))ms\n")
        })

    public static let silent = ServerLogger(error: { _ in }, request: { _ in })
}

enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
