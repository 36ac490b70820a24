import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One open spool file: appends with `O_APPEND` + `fsync`, positional reads. The caller
/// serialises use (EventSpool's lock).
final class SpoolFile: @unchecked Sendable {  // used only under EventSpool's lock
    private let descriptor: Int32
    let path: String
    private(set) var size: Int

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("open", path) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw Self.failure("stat", path)
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Writes `bytes` at the end and waits until they are on disk.
    func appendAndSync(_ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                // A partial record may be on disk now; cut it so the next append starts clean.
                _ = ftruncate(descriptor, off_t(size))
                throw Self.failure("write", path)
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            _ = ftruncate(descriptor, off_t(size))
            throw Self.failure("fsync", path)
        }
        size += bytes.count
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, count - done, off_t(offset + done))
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw Self.failure("read", path) }
            done += result
        }
        return buffer
    }

    func truncate(to length: Int) throws {
        guard ftruncate(descriptor, off_t(length)) == 0, fsync(descriptor) == 0 else { throw Self.failure("truncate", path) }
        size = length
    }

    /// fsync on the folder makes a rename or a new file's name durable.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    static func failure(_ operation: String, _ path: String) -> SpoolIOError {
        SpoolIOError(description: "spool \(operation) failed on \(path): \(String(cString: strerror(errno)))")
    }
}

/// The spool's disk failed us; the batch was not acknowledged.
struct SpoolIOError: Error, CustomStringConvertible {
    let description: String
}
