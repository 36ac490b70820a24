import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

// The only file that touches libmicrohttpd.
//
// Threading model: MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION gives each
// connection its own OS thread, and MHD calls every callback below (URI log, access handler,
// content reader, completion) on that thread. Handlers therefore run synchronously there and
// may block (libpq, file reads) without ever occupying Swift's cooperative pool, and a slow
// request delays nobody else. Suspend/resume is not needed for that, so it is not enabled.
// MHD_USE_ITC is required by MHD_quiesce_daemon (graceful stop); MHD_USE_POLL avoids select()'s
// FD_SETSIZE ceiling.
//
// One request's life: the URI log callback (first, with the raw target) creates an `Exchange`
// and hands MHD a retained pointer as con_cls; the access handler is called again and again
// (headers in → body pieces → end of body) and queues the response only on the last call, so
// keep-alive works; the completion callback releases the Exchange and logs the request.
// Callbacks capture nothing: they find the server through `cls` (an unretained
// `DaemonContext` that outlives the daemon) and the request through con_cls.

/// One request in flight; only ever touched by its connection's thread.
final class Exchange {
    let target: String
    let started = ContinuousClock.now
    var method = ""
    var headers = HTTPHeaders()
    var headersChecked = false
    var body: [UInt8] = []
    var bodyTooLarge = false
    var status = 0

    init(target: String) { self.target = target }
}

/// What the C callbacks reach through `cls`.
final class DaemonContext: Sendable {
    let core: ServerCore
    let inFlight = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    /// MHD's log lines while starting, to explain a failed start (e.g. port in use).
    let startupLog = Mutex<[String]?>([])

    init(core: ServerCore) { self.core = core }

    static func from(_ cls: UnsafeMutableRawPointer?) -> DaemonContext {
        Unmanaged<DaemonContext>.fromOpaque(cls!).takeUnretainedValue()
    }
}

/// Owns one MHD daemon. `@unchecked Sendable`: `daemon` is written only by start/stop,
/// which HTTPServer serialises under its mutex.
final class MicroHTTPDServer: @unchecked Sendable {
    let context: DaemonContext
    private var daemon: OpaquePointer?

    init(core: ServerCore) { context = DaemonContext(core: core) }

    deinit { if daemon != nil { stop(deadline: .zero) } }

    /// Binds and starts serving; returns the bound port.
    func start() throws(ServerError) -> UInt16 {
        let config = context.core.config
        let flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_THREAD_PER_CONNECTION.rawValue
            | MHD_USE_ERROR_LOG.rawValue | MHD_USE_ITC.rawValue | MHD_USE_POLL.rawValue
        var badAddress: Int32 = 0
        let cls = Unmanaged.passUnretained(context).toOpaque()
        let started = spa_start_daemon(
            flags, config.bindAddress, config.port, accessHandler, requestCompleted, uriLogged,
            mhdLog, cls, config.connectionMemoryLimit, config.connectionLimit,
            config.connectionTimeoutSeconds, &badAddress)
        let log = context.startupLog.withLock { lines in
            defer { lines = nil }  // from now on MHD messages go to the error logger
            return lines ?? []
        }
        guard let started else {
            let endpoint = "\(config.bindAddress):\(config.port)"
            if badAddress != 0 { throw ServerError("invalid IPv4 bind address \(endpoint)") }
            let reason = log.last ?? "libmicrohttpd refused to start"
            throw ServerError("cannot listen on \(endpoint): \(reason)")
        }
        daemon = started
        return spa_bind_port(started)
    }

    /// Stops accepting, waits for in-flight requests until `deadline`, then shuts down.
    /// MHD_stop_daemon joins the connection threads, so a handler still blocked past the
    /// deadline delays it: handlers should bound their own blocking calls.
    func stop(deadline: Duration) {
        guard let daemon else { return }
        self.daemon = nil
        context.stopping.store(true, ordering: .relaxed)
        let listenSocket = MHD_quiesce_daemon(daemon)
        let clock = ContinuousClock()
        let end = clock.now + deadline
        while context.inFlight.load(ordering: .acquiring) > 0, clock.now < end {
            usleep(5_000)
        }
        MHD_stop_daemon(daemon)
        if listenSocket >= 0 { close(listenSocket) }  // ours after quiesce, closed after stop
    }
}

// MARK: - C callbacks (capture nothing)

private func uriLogged(
    cls: UnsafeMutableRawPointer?, uri: UnsafePointer<CChar>?, connection: OpaquePointer?
) -> UnsafeMutableRawPointer? {
    DaemonContext.from(cls).inFlight.add(1, ordering: .relaxed)
    let exchange = Exchange(target: uri.map { String(cString: $0) } ?? "")
    return Unmanaged.passRetained(exchange).toOpaque()
}

private func requestCompleted(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?,
    conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, reason: MHD_RequestTerminationCode
) {
    guard let conCls, let pointer = conCls.pointee else { return }
    conCls.pointee = nil
    let exchange = Unmanaged<Exchange>.fromOpaque(pointer).takeRetainedValue()
    let context = DaemonContext.from(cls)
    context.inFlight.subtract(1, ordering: .releasing)
    context.core.logger.request(
        RequestLog(
            method: exchange.method, path: ServerCore.pathForLog(exchange.target),
            status: exchange.status, duration: ContinuousClock.now - exchange.started))
}

private func accessHandler(
    cls: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?,
    uploadSize: UnsafeMutablePointer<Int>?, conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let connection, let conCls, let uploadSize, let pointer = conCls.pointee else { return .NO }
    let context = DaemonContext.from(cls)
    let core = context.core
    let exchange = Unmanaged<Exchange>.fromOpaque(pointer).takeUnretainedValue()

    // First call: headers are in, no body read yet. Reject early here (the connection is
    // then closed by MHD since the body stays unread).
    if !exchange.headersChecked {
        exchange.headersChecked = true
        exchange.method = method.map { String(cString: $0) } ?? ""
        exchange.headers = requestHeaders(connection)
        if let error = core.checkHead(
            uriLength: exchange.target.utf8.count, version: version.map { String(cString: $0) } ?? "",
            headers: exchange.headers)
        {
            return queue(core.finish(error.response), on: connection, exchange: exchange, close: true)
        }
        return .YES
    }
    // Middle calls: a piece of body. Past the limit we keep reading but drop the bytes, and
    // answer 413 at the end (MHD does not allow queueing a response mid-body).
    if uploadSize.pointee > 0 {
        let count = uploadSize.pointee
        if exchange.bodyTooLarge || exchange.body.count + count > core.config.maxBodyBytes {
            exchange.bodyTooLarge = true
            exchange.body = []
        } else if let uploadData {
            uploadData.withMemoryRebound(to: UInt8.self, capacity: count) {
                exchange.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
            }
        }
        uploadSize.pointee = 0
        return .YES
    }
    // Last call: the whole request is in.
    if exchange.bodyTooLarge {
        let error = HTTPError.payloadTooLarge(limit: core.config.maxBodyBytes)
        return queue(core.finish(error.response), on: connection, exchange: exchange, close: true)
    }
    var address = [CChar](repeating: 0, count: 64)
    let remote =
        spa_client_address(connection, &address, 64) != 0
        ? String(decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    let response = core.respond(
        method: exchange.method, target: exchange.target, headers: exchange.headers,
        body: exchange.body, remoteAddress: remote)
    exchange.body = []
    return queue(response, on: connection, exchange: exchange, close: context.stopping.load(ordering: .relaxed))
}

private func requestHeaders(_ connection: OpaquePointer) -> HTTPHeaders {
    var headers = HTTPHeaders()
    withUnsafeMutablePointer(to: &headers) { pointer in
        _ = MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, pointer)
    }
    return headers
}

private func collectHeader(
    cls: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?,
    value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    let headers = cls.assumingMemoryBound(to: HTTPHeaders.self)
    headers.pointee.add(String(cString: key), value.map { String(cString: $0) } ?? "")
    return .YES
}

private func queue(_ response: Response, on connection: OpaquePointer, exchange: Exchange, close: Bool)
    -> MHD_Result
{
    let created: OpaquePointer?
    switch response.body {
    case .bytes(let bytes):
        created = bytes.withUnsafeBytes {
            MHD_create_response_from_buffer(
                $0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress), .RESPMEM_MUST_COPY)
        }
    case .stream(let stream):
        let cursor = Unmanaged.passRetained(StreamCursor(stream)).toOpaque()
        created = MHD_create_response_from_callback(SPA_SIZE_UNKNOWN, 64 * 1024, readStream, cursor, freeStream)
        if created == nil { Unmanaged<StreamCursor>.fromOpaque(cursor).release() }
    }
    guard let mhdResponse = created else { return .NO }
    defer { MHD_destroy_response(mhdResponse) }
    for field in response.headers {
        _ = MHD_add_response_header(mhdResponse, field.name, field.value)  // validated in ServerCore
    }
    if close { _ = MHD_add_response_header(mhdResponse, "Connection", "close") }
    exchange.status = response.status
    return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
}

/// The state of one streamed body: the chunk being copied out and the pull closure.
final class StreamCursor {
    let stream: BodyStream
    var chunk: [UInt8] = []
    var offset = 0

    init(_ stream: BodyStream) { self.stream = stream }
}

private func readStream(cls: UnsafeMutableRawPointer?, position: UInt64, buffer: UnsafeMutablePointer<CChar>?, max: Int)
    -> Int
{
    guard let cls, let buffer else { return SPA_CONTENT_READER_END_WITH_ERROR }
    let cursor = Unmanaged<StreamCursor>.fromOpaque(cls).takeUnretainedValue()
    while cursor.offset >= cursor.chunk.count {
        do {
            guard let next = try cursor.stream.next() else { return SPA_CONTENT_READER_END_OF_STREAM }
            cursor.chunk = next
            cursor.offset = 0
        } catch {
            return SPA_CONTENT_READER_END_WITH_ERROR  // truncates the chunked body on purpose
        }
    }
    let count = min(max, cursor.chunk.count - cursor.offset)
    cursor.chunk.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + cursor.offset, byteCount: count)
    }
    cursor.offset += count
    return count
}

private func freeStream(cls: UnsafeMutableRawPointer?) {
    if let cls { Unmanaged<StreamCursor>.fromOpaque(cls).release() }
}

private func mhdLog(cls: UnsafeMutableRawPointer?, format: UnsafePointer<CChar>?, arguments: CVaListPointer?) {
    guard let format, let arguments else { return }
    var buffer = [CChar](repeating: 0, count: 512)
    spa_format_log(&buffer, buffer.count, format, arguments)
    var line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    while line.hasSuffix("\n") { line.removeLast() }
    let context = DaemonContext.from(cls)
    let captured = context.startupLog.withLock { lines -> Bool in
        guard lines != nil else { return false }
        lines!.append(line)
        return true
    }
    if !captured { context.core.logger.error("libmicrohttpd: \(line)") }
}
