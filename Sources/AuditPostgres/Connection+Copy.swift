import CLibPQ

// COPY FROM STDIN / TO STDOUT: bulk import and streaming export. Data travels in PostgreSQL's
// COPY text (or CSV) format exactly as the statement asks; nothing is parsed here.
extension Connection {
    /// Runs `COPY table (...) FROM STDIN ...` feeding it `chunks` (any split: rows may span
    /// chunks) and returns the number of rows copied. If the server rejects a row, the whole
    /// COPY is rolled back and the error thrown.
    @discardableResult
    public func copyIn(_ copySQL: String, chunks: some Sequence<[UInt8]>) throws(PostgresError) -> Int {
        try enter()
        defer { leave() }
        try startCopy(copySQL, expecting: PGRES_COPY_IN)
        var sendFailure: PostgresError?
        for chunk in chunks where !chunk.isEmpty {
            let sent = chunk.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    PQputCopyData(pg, $0.baseAddress, Int32($0.count))
                }
            }
            if sent != 1 {
                sendFailure = PostgresError(.connectionLost, lastErrorMessage())
                break
            }
        }
        if sendFailure == nil, PQputCopyEnd(pg, nil) != 1 {
            sendFailure = PostgresError(.connectionLost, lastErrorMessage())
        }
        let count = try finishCopy()
        if let sendFailure { throw sendFailure }
        return count
    }

    /// Runs `COPY ... TO STDOUT ...` and hands the output to `onChunk` in pieces of about
    /// 64 KiB (whole rows), so memory stays flat whatever the table size. Returns the rows
    /// copied. If `onChunk` throws, the server is told to cancel, the connection is drained
    /// and stays usable, and the error is rethrown.
    @discardableResult
    public func copyOut(_ copySQL: String, onChunk: ([UInt8]) throws -> Void) throws -> Int {
        try enter()
        defer { leave() }
        try startCopy(copySQL, expecting: PGRES_COPY_OUT)
        let flushSize = 64 * 1024
        var chunk: [UInt8] = []
        chunk.reserveCapacity(flushSize + 1024)
        var consumerError: Error?

        func deliver() {
            guard consumerError == nil, !chunk.isEmpty else { return }
            do { try onChunk(chunk) } catch {
                consumerError = error
                cancelRunningCommand()  // the rest of the output is drained and dropped
            }
            chunk.removeAll(keepingCapacity: true)
        }

        var readFailure: PostgresError?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(pg, &buffer, 0)  // 0: block until a row arrives
            if length > 0, let buffer {
                if consumerError == nil {
                    chunk.append(
                        contentsOf: UnsafeRawBufferPointer(start: buffer, count: Int(length)).bindMemory(to: UInt8.self))
                }
                PQfreemem(buffer)
                if chunk.count >= flushSize { deliver() }
            } else {
                // -1: COPY done; -2: failure (its result follows in finishCopy, or the
                // connection is gone).
                if length == -2 { readFailure = PostgresError(isHealthy ? .server : .connectionLost, lastErrorMessage()) }
                break
            }
        }
        deliver()
        let count: Int
        do {
            count = try finishCopy()
        } catch {
            // After our own cancel the server reports 57014; the consumer's error is the cause.
            throw consumerError ?? error
        }
        if let consumerError { throw consumerError }
        if let readFailure { throw readFailure }
        return count
    }

    private func startCopy(_ copySQL: String, expecting expected: ExecStatusType) throws(PostgresError) {
        guard !copySQL.utf8.contains(0) else {
            throw PostgresError(.invalidParameter, "COPY statement contains a NUL character")
        }
        let res = PQexec(pg, copySQL)
        defer { PQclear(res) }
        guard let res else { throw PostgresError(.connectionLost, lastErrorMessage()) }
        let status = PQresultStatus(res)
        if status == expected { return }
        if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
            abandonCopy(status)
            throw PostgresError(
                .misuse, expected == PGRES_COPY_IN ? "copyIn needs COPY ... FROM STDIN" : "copyOut needs COPY ... TO STDOUT")
        }
        try check(res, script: false)  // throws the server's error
        throw PostgresError(.misuse, "not a COPY statement")
    }

    /// Reads the results that close a COPY and returns its row count ("COPY n").
    private func finishCopy() throws(PostgresError) -> Int {
        var failure: PostgresError?
        var count = 0
        while let res = PQgetResult(pg) {
            defer { PQclear(res) }
            if PQresultStatus(res) == PGRES_COMMAND_OK {
                count = Int(String(cString: PQcmdTuples(res))) ?? 0
            } else if failure == nil {
                failure = error(from: res)
            }
        }
        if let failure { throw failure }
        if !isHealthy { throw PostgresError(.connectionLost, lastErrorMessage()) }
        return count
    }

    /// Asks the server to cancel the running command (on a separate socket, as libpq does).
    private func cancelRunningCommand() {
        guard let cancel = PQgetCancel(pg) else { return }
        defer { PQfreeCancel(cancel) }
        var errbuf = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &errbuf, Int32(errbuf.count))
    }
}
