import Foundation
import Synchronization
import Testing

@testable import AuditHTTP

/// A tiny HTTP/1.1 client over a raw POSIX socket, so tests can send exactly the bytes
/// they mean (malformed lines, huge headers, pipelined keep-alive requests).
final class RawConnection {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
    }

    deinit { close(fd) }

    /// Sends everything; a peer that closed early (e.g. after a 413) is not an error here.
    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads one response. `head`: the request was HEAD, so no body follows.
    func readResponse(head: Bool = false) throws -> RawResponse {
        let headEnd = try readUntil([13, 10, 13, 10])
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line in \(headText)")
        }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body: [UInt8] = []
        if head || status == 304 || status == 204 || status / 100 == 1 {
        } else if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            while true {
                let lineEnd = try readUntil([13, 10])
                let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self)
                buffer.removeFirst(lineEnd + 2)
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else {
                    throw Failure(description: "bad chunk size \(sizeText)")
                }
                try fill(size + 2)
                body += buffer[..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            try fill(length)
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            while try receive() > 0 {}
            body = buffer
            buffer = []
        }
        return RawResponse(status: status, headers: headers, body: body, chunked: headers["Transfer-Encoding"] != nil)
    }

    /// True once the server has closed its side (read returns 0).
    func isClosedByPeer() -> Bool { ((try? receive()) ?? 0) == 0 && buffer.isEmpty }

    private func receive() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw Failure(description: "recv: errno \(errno)") }
        buffer += chunk[..<n]
        return n
    }

    private func fill(_ count: Int) throws {
        while buffer.count < count {
            if try receive() == 0 { throw Failure(description: "connection closed early") }
        }
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= marker.count {
                for i in searchFrom...(buffer.count - marker.count) where buffer[i..<(i + marker.count)].elementsEqual(marker) {
                    return i
                }
                searchFrom = buffer.count - marker.count + 1
            }
            if try receive() == 0 { throw Failure(description: "connection closed before \(marker)") }
        }
    }
}

struct RawResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var chunked: Bool
    var text: String { String(decoding: body, as: UTF8.self) }

    /// `{"error":{"code":...}}` → code.
    var errorCode: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return (object?["error"] as? [String: Any])?["code"] as? String
    }
}

/// Sends one request on a fresh connection and reads the answer.
func exchange(_ port: UInt16, _ request: String, head: Bool = false) throws -> RawResponse {
    let connection = try RawConnection(port: port)
    connection.send(request)
    return try connection.readResponse(head: head)
}

func get(_ port: UInt16, _ target: String, headers: String = "") throws -> RawResponse {
    try exchange(port, "GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(headers)Connection: close\r\n\r\n")
}

/// Collects log lines and calls from several threads.
final class Recorder<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
}

/// Starts a server on an ephemeral port of 127.0.0.1 and stops it afterwards.
func withServer<R>(
    config: ServerConfig = ServerConfig(), logger: ServerLogger = .silent,
    handler: @escaping Handler, _ body: (HTTPServer) throws -> R
) throws -> R {
    var config = config
    config.bindAddress = "127.0.0.1"
    config.port = 0
    let server = HTTPServer(config: config, logger: logger, handler: handler)
    try server.start()
    defer { server.stop(deadline: .seconds(2)) }
    return try body(server)
}
