import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation
import Testing

@testable import SpaceAudit

/// EventSpool: order, replay bookkeeping across reopen (a crash), torn tails, the size limit.
@Suite struct IngestSpoolTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "spaceaudit-spool-test-" + UUID().uuidString
        return path
    }

    static func open(_ path: String, maxBytes: Int = 1 << 20) throws -> EventSpool {
        try EventSpool(directory: path, maxBytes: maxBytes, hash: { Crypto.sha256($0) })
    }

    static func drain(_ spool: EventSpool) throws -> [String] {
        var seen: [String] = []
        while let (payload, end) = try spool.next() {
            seen.append(String(decoding: payload, as: UTF8.self))
            try spool.markReplayed(upTo: end)
        }
        return seen
    }

    @Test func recordsComeBackInOrderAcrossAReopen() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try Self.open(path)
        #expect(spool.isEmpty)
        for i in 1...5 { try spool.append(Array("batch \(i)".utf8)) }
        let (first, end) = try #require(try spool.next())
        #expect(String(decoding: first, as: UTF8.self) == "batch 1")
        try spool.markReplayed(upTo: end)
        // A crash now: the reopened spool resumes after the replayed prefix.
        let reopened = try Self.open(path)
        #expect(reopened.status.records == 4)
        #expect(try Self.drain(reopened) == ["batch 2", "batch 3", "batch 4", "batch 5"])
        #expect(reopened.isEmpty)
        #expect(reopened.status.bytes == 0)
        // Drained, it starts a new generation: nothing is replayed twice after another reopen.
        #expect(try Self.open(path).isEmpty)
    }

    @Test func aTornTailIsCutOff() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try Self.open(path)
        try spool.append(Array("kept".utf8))
        try spool.append(Array("torn".utf8))
        // Simulate a crash in the middle of the second write: chop its last bytes.
        let log = path + "/spool.log"
        let size = try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        try FileHandle(forWritingAtPath: log)!.truncate(atOffset: UInt64(size - 2))
        let reopened = try Self.open(path)
        #expect(reopened.discardedTailBytes == EventSpool.recordHeaderSize + 2)
        #expect(try Self.drain(reopened) == ["kept"])
    }

    @Test func aCorruptedRecordIsNotReplayed() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spool = try Self.open(path)
        try spool.append(Array("abcdef".utf8))
        let handle = FileHandle(forUpdatingAtPath: path + "/spool.log")!
        try handle.seek(toOffset: UInt64(EventSpool.headerSize + EventSpool.recordHeaderSize + 1))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        #expect(try Self.open(path).isEmpty)
    }

    @Test func aFullSpoolRefusesAndCompactsTheReplayedPrefix() throws {
        let path = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let record = [UInt8](repeating: 0x41, count: 100)
        let capacity = EventSpool.headerSize + 3 * (EventSpool.recordHeaderSize + record.count)
        let spool = try Self.open(path, maxBytes: capacity)
        for _ in 0..<3 { try spool.append(record) }
        #expect(throws: SpoolFullError.self) { try spool.append(record) }
        let (_, end) = try #require(try spool.next())
        try spool.markReplayed(upTo: end)
        try spool.append(record)  // fits once the replayed record is compacted away
        #expect(spool.status.records == 3)
        #expect(try Self.drain(try Self.open(path, maxBytes: capacity)).count == 3)
    }

    @Test func spooledEventsRoundTripExactly() throws {
        let event = NewEvent(
            occurredAt: Date(timeIntervalSince1970: 1_779_000_000.123456), event: .loginFailed, outcome: .failure,
            reason: "idp_error:access_denied", userSub: "u", username: "ü😀", orgs: ["a"], scopesRequested: ["openid"],
            scopesGranted: [], redirectURI: "https://x/cb", clientID: "c", clientIP: "::1", userAgent: "UA", source: .ingest,
            idempotencyKey: "k")
        let record = SpoolRecord(spaceID: SpaceID("acme/app")!, events: [event])
        let decoded = try JSONDecoder().decode(SpoolRecord.self, from: JSONEncoder().encode(record))
        let (space, events) = try decoded.newEvents()
        #expect(space.description == "acme/app")
        #expect(RFC3339.micros(events[0].occurredAt) == RFC3339.micros(event.occurredAt))
        var normalized = event
        normalized.occurredAt = events[0].occurredAt
        #expect(events == [normalized])
    }
}
