/// An error a handler throws to answer with a specific status.
///
/// `message` is shown to the client, so it must be safe to show; anything else (causes,
/// SQL, stack) belongs in logs. The server turns every other error into a generic 500.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    /// Stable, machine-readable snake_case code (`not_found`, `payload_too_large`, ...).
    public var code: String
    public var message: String
    /// Extra response headers, e.g. `Allow` on a 405.
    public var headers: HTTPHeaders

    public init(status: Int, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// `{"error":{"code":"...","message":"..."}}` with this error's status and headers.
    public var response: Response {
        var response = Response(status: status, headers: headers, body: .bytes(Array(jsonBody.utf8)))
        response.headers.set("Content-Type", "application/json; charset=utf-8")
        return response
    }

    var jsonBody: String {
        "{\"error\":{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message))}}"
    }

    public static func badRequest(_ message: String = "The request is malformed.") -> HTTPError {
        HTTPError(status: 400, code: "bad_request", message: message)
    }
    public static func unauthorized(_ message: String = "Authentication is required.") -> HTTPError {
        HTTPError(status: 401, code: "unauthorized", message: message)
    }
    public static func forbidden(_ message: String = "Access is denied.") -> HTTPError {
        HTTPError(status: 403, code: "forbidden", message: message)
    }
    public static func notFound(_ message: String = "Nothing is here.") -> HTTPError {
        HTTPError(status: 404, code: "not_found", message: message)
    }
    public static func methodNotAllowed(allow: [String]) -> HTTPError {
        HTTPError(
            status: 405, code: "method_not_allowed", message: "This method is not allowed here.",
            headers: HTTPHeaders([("Allow", allow.joined(separator: ", "))]))
    }
    public static func payloadTooLarge(limit: Int) -> HTTPError {
        HTTPError(
            status: 413, code: "payload_too_large",
            message: "The request body is larger than \(limit) bytes.")
    }
    public static let uriTooLong = HTTPError(
        status: 414, code: "uri_too_long", message: "The request URI is too long.")
    public static let headersTooLarge = HTTPError(
        status: 431, code: "headers_too_large", message: "The request headers are too large.")
    /// The generic 500: never carries the underlying error's text.
    public static let internalError = HTTPError(
        status: 500, code: "internal_error", message: "An internal error occurred.")
    public static let serviceUnavailable = HTTPError(
        status: 503, code: "unavailable", message: "The service is unavailable.")
}

/// Minimal JSON string quoting, so error rendering cannot itself fail.
enum JSONText {
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // harmless in JSON, defuses HTML sniffing
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
