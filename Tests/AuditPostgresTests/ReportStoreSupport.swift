import AuditCore
import Foundation

@testable import AuditPostgres

/// A migrated private database with a pool, the stores under test, and a seeding helper
/// that goes through the real write path (EventStore.append and its trigger).
struct ReportFixture {
    let pool: ConnectionPool
    let events: EventStore
    let reports: ReportStore
    /// Everything appended so far, as domain events, for the in-memory reference.
    private(set) var appended: [LoginEvent] = []

    /// Not SHA-256 (OpenSSL lives in another module), but deterministic and input-dependent,
    /// which is all the chain bookkeeping needs here.
    static let toyHash: EventStore.Hasher = { bytes in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return withUnsafeBytes(of: h.bigEndian) { Array($0) }
    }

    static func with<T>(migrations: [Migration]? = nil, _ body: (inout ReportFixture) throws -> T) throws -> T {
        try TestDatabase.with { conninfo in
            let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 2)
            defer { pool.close() }
            try pool.withConnection { try Migrator(migrations ?? repositoryMigrations()).migrate($0) }
            var fixture = ReportFixture(
                pool: pool, events: EventStore(pool: pool, hash: toyHash), reports: ReportStore(pool: pool))
            return try body(&fixture)
        }
    }

    mutating func append(_ space: String, _ newEvents: [NewEvent]) throws {
        let id = SpaceID(space)!
        _ = try events.append(newEvents, spaceID: id)
        appended += newEvents.map { $0.loginEvent(eventID: "", spaceID: id, seq: 0) }
    }
}

/// Builders for seeded events; times are whole seconds so they round-trip exactly.
enum Seed {
    static let until = RFC3339.parse("2026-08-22T12:00:00Z")!
    static let hour: TimeInterval = 3_600
    static let day: TimeInterval = 86_400

    static func success(
        _ sub: String, _ name: String?, at: Date, granted: [String] = ["openid", "profile"],
        requested: [String] = [], redirect: String? = nil
    ) -> NewEvent {
        NewEvent(
            occurredAt: at, event: .loginSucceeded, outcome: .success, userSub: sub, username: name,
            scopesRequested: requested, scopesGranted: granted, redirectURI: redirect, source: .ingest)
    }

    static func failure(_ reason: String, sub: String? = nil, at: Date, redirect: String? = nil) -> NewEvent {
        NewEvent(
            occurredAt: at, event: .loginFailed, outcome: .failure, reason: reason, userSub: sub,
            redirectURI: redirect, source: .ingest)
    }

    static func started(at: Date, requested: [String], redirect: String?) -> NewEvent {
        NewEvent(occurredAt: at, event: .loginStarted, scopesRequested: requested, redirectURI: redirect, source: .service)
    }
}
