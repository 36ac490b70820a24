import Dispatch
import Foundation
import Synchronization

/// A bounded hand-off of byte chunks from a producer thread (the database cursor) to the HTTP
/// connection thread that pulls a streamed body. Bounded, so a slow client slows the cursor
/// instead of filling memory; cancellable, so a client that goes away frees the producer and
/// its database connection.
final class ChunkChannel: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
    }

    private let state = Mutex(State())
    private let items = DispatchSemaphore(value: 0)
    private let slots: DispatchSemaphore
    /// How long a producer waits on a stalled consumer before giving up.
    private let stallTimeout: DispatchTimeInterval

    init(capacity: Int = 8, stallTimeout: DispatchTimeInterval = .seconds(120)) {
        slots = DispatchSemaphore(value: capacity)
        self.stallTimeout = stallTimeout
    }

    /// Producer: blocks while the channel is full. Throws once the consumer is gone.
    func put(_ chunk: [UInt8]) throws {
        guard slots.wait(timeout: .now() + stallTimeout) == .success else {
            cancel()
            throw ChannelClosed()
        }
        let cancelled = state.withLock { state in
            if !state.cancelled { state.chunks.append(chunk) }
            return state.cancelled
        }
        if cancelled { throw ChannelClosed() }
        items.signal()
    }

    /// Producer: no more chunks; `failure` makes the consumer's next `take` throw.
    func finish(failure: (any Error)? = nil) {
        state.withLock { state in
            state.finished = true
            state.failure = failure
        }
        items.signal()
    }

    /// Consumer: the next chunk, nil at the end. Throws the producer's failure.
    func take() throws -> [UInt8]? {
        items.wait()
        let (chunk, failure): ([UInt8]?, (any Error)?) = state.withLock { state in
            if !state.chunks.isEmpty { return (state.chunks.removeFirst(), nil) }
            return (nil, state.failure)
        }
        if let chunk {
            slots.signal()
            return chunk
        }
        items.signal()  // leave the end visible to any further call
        if let failure { throw failure }
        return nil
    }

    /// Consumer gone: the producer's next `put` throws.
    func cancel() {
        state.withLock { $0.cancelled = true }
        slots.signal()
    }

    struct ChannelClosed: Error {}
}

/// Held by the streamed body; when the server releases the body (finished, or the client
/// disconnected) this goes too and tells the producer to stop.
final class ChannelConsumer: Sendable {
    let channel: ChunkChannel
    init(_ channel: ChunkChannel) { self.channel = channel }
    deinit { channel.cancel() }
}
