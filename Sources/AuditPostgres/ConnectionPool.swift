import Dispatch
import Synchronization

/// A fixed-size set of connections, opened lazily and lent to one caller at a time.
///
/// Design note: checkout is synchronous and blocks. Callers are libmicrohttpd's
/// thread-per-connection threads and the CLI's main thread, never Swift's cooperative pool,
/// so waiting on a semaphore here is correct (and is what makes the pool a backpressure
/// point). Do not call it from an `async` context without hopping to a thread you own.
///
/// Recovery: a connection that broke (server restart, terminated backend, network) is closed
/// instead of returned, and idle ones are probed before lending, so after an outage the next
/// call works as soon as the server does. During the outage calls throw a retryable
/// `PostgresError`; nothing crashes.
public final class ConnectionPool: Sendable {
    private let conninfo: String
    public let maxConnections: Int
    private let checkoutTimeout: Duration
    private let connectTimeoutSeconds: Int
    /// One permit per connection slot, busy or not.
    private let permits: DispatchSemaphore
    private let state = Mutex(State())

    private struct State {
        var idle: [Connection] = []
        var closed = false
    }

    /// - Parameters:
    ///   - conninfo: a libpq connection string (URI or key=value); checked now, not used yet.
    ///   - checkoutTimeout: how long `withConnection` waits for a free slot before throwing
    ///     "pool exhausted".
    ///   - connectTimeoutSeconds: used unless `conninfo` sets connect_timeout.
    public init(
        conninfo: String, maxConnections: Int = 10, checkoutTimeout: Duration = .seconds(10),
        connectTimeoutSeconds: Int = 5
    ) throws(PostgresError) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        _ = try ConnectionString.parse(conninfo)  // a typo fails at startup, not on first use
        self.conninfo = conninfo
        self.maxConnections = maxConnections
        self.checkoutTimeout = checkoutTimeout
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.permits = DispatchSemaphore(value: maxConnections)
    }

    /// Lends a connection to `body` and takes it back afterwards. Blocks while all are busy,
    /// up to the checkout timeout. The connection must not escape `body`.
    @discardableResult
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try checkOut(timeout: checkoutTimeout)
        do {
            let value = try body(connection)
            checkIn(connection, failure: nil)
            return value
        } catch {
            checkIn(connection, failure: error)
            throw error
        }
    }

    /// For /readyz: true if the server answers `SELECT 1` within about `timeout`. Never throws.
    public func ping(timeout: Duration = .seconds(2)) -> Bool {
        // Two tries: the first may pick a connection that only now turns out dead.
        for _ in 0..<2 {
            do {
                let connection = try checkOut(timeout: timeout, connectTimeoutSeconds: max(1, Int(timeout.components.seconds)))
                do {
                    _ = try connection.query("SELECT 1")
                    checkIn(connection, failure: nil)
                    return true
                } catch {
                    checkIn(connection, failure: error)
                }
            } catch {
                if error.isPoolExhausted { return false }
            }
        }
        return false
    }

    /// Closes idle connections; later checkouts fail. Busy ones close when returned.
    public func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = idle  // released here, outside the lock: deinit runs PQfinish
    }

    /// Connections currently open and idle (for tests and metrics).
    public var idleCount: Int { state.withLock { $0.idle.count } }

    // MARK: Checkout

    private func checkOut(timeout: Duration, connectTimeoutSeconds: Int? = nil) throws(PostgresError) -> Connection {
        guard permits.wait(timeout: .now() + timeout.dispatchInterval) == .success else {
            throw PostgresError(
                .poolExhausted, "pool exhausted: all \(maxConnections) connections busy for \(timeout)")
        }
        // From here the permit is ours; every exit path below must give it back on failure.
        while true {
            let (closed, candidate) = state.withLock { state in (state.closed, state.idle.popLast()) }
            if closed {
                permits.signal()
                throw PostgresError(.poolClosed, "connection pool is closed")
            }
            guard let candidate else { break }
            // Cheap, non-blocking check: reads anything the server sent while idle, such as
            // the FATAL of a terminated backend, so a dead connection is dropped, not lent.
            if candidate.isAlive() { return candidate }
        }
        do {
            return try Connection(
                conninfo: conninfo, connectTimeoutSeconds: connectTimeoutSeconds ?? self.connectTimeoutSeconds)
        } catch {
            permits.signal()
            throw error
        }
    }

    private func pruneIdle() {
        let idle = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        // Probed outside the lock; each probe is a non-blocking read.
        let alive = idle.filter { $0.isAlive() }
        state.withLock { state in
            if !state.closed { state.idle += alive }
        }
    }

    private func checkIn(_ connection: Connection, failure: Error?) {
        defer { permits.signal() }
        let broken = (failure as? PostgresError)?.isConnectionFailure == true || !connection.isHealthy
        // A borrower that left a transaction open must not hand it to the next one.
        if !broken && !connection.isIdle {
            try? connection.simpleExecute("ROLLBACK")
        }
        guard !broken, connection.isHealthy, connection.isIdle else {
            // Dropped (deinit closes it). One dead connection usually means a server restart
            // killed its siblings too: weed them out now so the next callers get live ones.
            pruneIdle()
            return
        }
        let kept = state.withLock { state in
            guard !state.closed else { return false }
            state.idle.append(connection)
            return true
        }
        _ = kept
    }
}

extension Duration {
    fileprivate var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
