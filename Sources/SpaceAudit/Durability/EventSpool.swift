import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The local append-only spool that keeps events while PostgreSQL is unreachable.
///
/// Two files in one folder:
/// - `spool.log`: a 16-byte header (`SASPOOL1` + u64 generation) then records, each
///   `SAR1` + u32 payload length + SHA-256 of the payload + payload. A record is appended with
///   one write and fsynced before `append` returns, so an acknowledged batch survives a crash
///   (SIGKILL, power loss). A torn record at the tail (a crash mid-write, never acknowledged)
///   fails its length or checksum and is cut off on the next start.
/// - `spool.offset`: `generation offset`, the end of the replayed prefix, replaced atomically
///   (write, fsync, rename). A replayed batch may be offered again after a crash between the
///   database commit and this file; idempotency keys make that second write a no-op.
///
/// When everything is replayed the log is replaced by an empty one of the next generation;
/// an offset of another generation means "nothing replayed yet".
final class EventSpool: @unchecked Sendable {  // every field is guarded by `lock`
    static let headerSize = 16
    static let recordHeaderSize = 40
    private static let fileMagic = Array("SASPOOL1".utf8)
    private static let recordMagic = Array("SAR1".utf8)

    let directory: String
    let maxBytes: Int
    private let hash: @Sendable ([UInt8]) -> [UInt8]
    private let lock = NSLock()
    private var file: SpoolFile
    private var generation: UInt64 = 1
    private var replayedOffset = EventSpool.headerSize
    private var pendingRecords = 0
    /// Bytes cut off a torn tail when the spool was opened (for the startup log).
    private(set) var discardedTailBytes = 0

    private var logPath: String { directory + "/spool.log" }
    private var offsetPath: String { directory + "/spool.offset" }

    init(directory: String, maxBytes: Int, hash: @escaping @Sendable ([UInt8]) -> [UInt8]) throws {
        self.directory = directory
        self.maxBytes = maxBytes
        self.hash = hash
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let saved = Self.readOffset(at: directory + "/spool.offset")
        if let existing = try? SpoolFile(path: directory + "/spool.log"), existing.size >= Self.headerSize,
            let header = try? existing.read(at: 0, count: Self.headerSize), Array(header.prefix(8)) == Self.fileMagic
        {
            file = existing
            generation = header.dropFirst(8).reduce(0) { $0 << 8 | UInt64($1) }
            if let saved, saved.generation == generation, saved.offset >= Self.headerSize, saved.offset <= existing.size {
                replayedOffset = saved.offset
            }
            try scanPending()
        } else {
            file = try SpoolFile(path: directory + "/spool.log")
            try startGeneration((saved?.generation ?? 0) + 1, keeping: [])
        }
    }

    /// Pending batches and bytes, for /readyz and /metrics.
    var status: (records: Int, bytes: Int) {
        lock.withLock { (pendingRecords, file.size - replayedOffset) }
    }

    var isEmpty: Bool { lock.withLock { pendingRecords == 0 } }

    /// Appends one record and fsyncs it. Throws `SpoolFullError` when it would not fit.
    func append(_ payload: [UInt8]) throws {
        var record = Self.recordMagic
        record += Self.bigEndian(UInt32(payload.count))
        record += hash(payload)
        record += payload
        try lock.withLock {
            if file.size + record.count > maxBytes, replayedOffset > Self.headerSize {
                try compact()  // drop the replayed prefix to make room
            }
            guard file.size + record.count <= maxBytes else { throw SpoolFullError() }
            try file.appendAndSync(record)
            pendingRecords += 1
        }
    }

    /// The oldest record not yet replayed, and the offset just after it.
    func next() throws -> (payload: [UInt8], end: Int)? {
        try lock.withLock {
            guard pendingRecords > 0 else { return nil }
            guard let record = try readRecord(at: replayedOffset) else {
                throw SpoolCorruption("the spool record at offset \(replayedOffset) is unreadable")
            }
            return record
        }
    }

    /// Marks everything before `end` as replayed; a drained spool starts a new, empty generation.
    func markReplayed(upTo end: Int) throws {
        try lock.withLock {
            replayedOffset = end
            pendingRecords -= 1
            if pendingRecords == 0 {
                try startGeneration(generation + 1, keeping: [])
            } else {
                try Self.writeOffset(generation: generation, offset: end, directory: directory)
            }
        }
    }

    // MARK: Internals (lock held)

    private func scanPending() throws {
        var offset = replayedOffset
        pendingRecords = 0
        while offset < file.size {
            guard let record = try readRecord(at: offset) else { break }
            offset = record.end
            pendingRecords += 1
        }
        if offset < file.size {
            discardedTailBytes = file.size - offset
            try file.truncate(to: offset)
        }
    }

    private func readRecord(at offset: Int) throws -> (payload: [UInt8], end: Int)? {
        guard file.size - offset >= Self.recordHeaderSize else { return nil }
        let header = try file.read(at: offset, count: Self.recordHeaderSize)
        guard Array(header.prefix(4)) == Self.recordMagic else { return nil }
        let length = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
        guard length <= maxBytes, file.size - offset - Self.recordHeaderSize >= length else { return nil }
        let payload = try file.read(at: offset + Self.recordHeaderSize, count: length)
        guard hash(payload) == Array(header[8..<40]) else { return nil }
        return (payload, offset + Self.recordHeaderSize + length)
    }

    /// Rewrites the log without its replayed prefix.
    private func compact() throws {
        let rest = try file.read(at: replayedOffset, count: file.size - replayedOffset)
        try startGeneration(generation + 1, keeping: rest)
    }

    /// Atomically replaces the log by a new generation holding `records`, then the offset.
    private func startGeneration(_ next: UInt64, keeping records: [UInt8]) throws {
        let temporary = logPath + ".tmp"
        unlink(temporary)
        let fresh = try SpoolFile(path: temporary)
        try fresh.appendAndSync(Self.fileMagic + Self.bigEndian(next) + records)
        guard rename(temporary, logPath) == 0 else { throw SpoolFile.failure("rename", temporary) }
        try SpoolFile.syncDirectory(directory)
        file = fresh
        generation = next
        replayedOffset = Self.headerSize
        try Self.writeOffset(generation: next, offset: Self.headerSize, directory: directory)
    }

    private static func readOffset(at path: String) -> (generation: UInt64, offset: Int)? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, let generation = UInt64(parts[0]), let offset = Int(parts[1]) else { return nil }
        return (generation, offset)
    }

    private static func writeOffset(generation: UInt64, offset: Int, directory: String) throws {
        let path = directory + "/spool.offset"
        let temporary = path + ".tmp"
        unlink(temporary)
        let file = try SpoolFile(path: temporary)
        try file.appendAndSync(Array("\(generation) \(offset)\n".utf8))
        guard rename(temporary, path) == 0 else { throw SpoolFile.failure("rename", temporary) }
        try SpoolFile.syncDirectory(directory)
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
