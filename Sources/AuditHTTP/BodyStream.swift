import Synchronization

/// A response body produced piece by piece: `next()` is called repeatedly on the
/// connection's own thread (so it may block, e.g. on a database cursor) until it returns
/// nil. A thrown error ends the stream abruptly: the client sees a truncated chunked body,
/// never a half-written success. Empty chunks are skipped.
public struct BodyStream: Sendable {
    let next: @Sendable () throws -> [UInt8]?

    public init(_ next: @escaping @Sendable () throws -> [UInt8]?) {
        self.next = next
    }

    /// Streams the elements of a sequence (iterated lazily, under a lock since the
    /// closure is `@Sendable`; the server calls it from one thread only).
    public init<S: Sequence & Sendable>(_ chunks: S) where S.Element == [UInt8] {
        let iterator = Mutex<S.Iterator?>(nil)
        self.next = {
            iterator.withLock { state -> [UInt8]? in
                if state == nil { state = chunks.makeIterator() }
                return state!.next()
            }
        }
    }
}
