import Foundation
import Testing

@testable import AuditPostgres

@Suite struct CopyTests {
    /// COPY text format for one row: tab-separated, with \\, \t, \n escaped and \N for NULL.
    static func copyLine(_ id: Int, _ text: String?) -> String {
        let field = text.map {
            $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        return "\(id)\t\(field ?? "\\N")\n"
    }

    static func rows(_ count: Int) -> [String] {
        (0..<count).map { i in copyLine(i, i % 97 == 0 ? nil : "row \(i) tab\there newline\nthere \\ é🎉") }
    }

    @Test func copyIn10kRowsThenCopyOutIdentical() throws {
        try TestDatabase.withConnection { db throws in
            try db.execute("CREATE TABLE t (id int PRIMARY KEY, s text)")
            let lines = Self.rows(10_000)
            let payload = Array(lines.joined().utf8)
            // Odd-sized chunks: rows (and UTF-8 sequences) split across chunk boundaries.
            let chunks = stride(from: 0, to: payload.count, by: 4093).map { Array(payload[$0..<min($0 + 4093, payload.count)]) }
            #expect(try db.copyIn("COPY t (id, s) FROM STDIN", chunks: chunks) == 10_000)
            #expect(try db.query("SELECT count(*) AS n, count(s) AS nn FROM t")[0].int("nn") == 10_000 - 104)

            var out: [UInt8] = []
            var chunkCount = 0
            let copied = try db.copyOut("COPY (SELECT id, s FROM t ORDER BY id) TO STDOUT") { chunk in
                #expect(chunk.count <= 64 * 1024 + 4096)  // bounded: memory stays flat
                chunkCount += 1
                out += chunk
            }
            #expect(copied == 10_000)
            #expect(chunkCount > 1)
            #expect(out == payload)
        }
    }

    @Test func copyInWithABadRowRollsBackAndReportsIt() throws {
        try TestDatabase.withConnection { db throws in
            try db.execute("CREATE TABLE t (id int PRIMARY KEY, s text)")
            let chunks = [Array("1\ta\n2\tb\n".utf8), Array("1\tduplicate\n".utf8)]
            let error = #expect(throws: PostgresError.self) { try db.copyIn("COPY t FROM STDIN", chunks: chunks) }
            #expect(error?.isUniqueViolation == true)
            #expect(try db.query("SELECT count(*) AS n FROM t")[0].int("n") == 0)
            #expect(throws: PostgresError.self) { try db.copyIn("SELECT 1", chunks: [[UInt8]]()) }
            #expect(throws: PostgresError.self) { try db.copyIn("COPY t TO STDOUT", chunks: [[UInt8]]()) }
            #expect(try db.query("SELECT 1 AS one")[0].int("one") == 1)
        }
    }

    @Test func aFailingConsumerCancelsCopyOutAndTheConnectionStaysUsable() throws {
        try TestDatabase.withConnection { db throws in
            struct ClientGone: Error {}
            var calls = 0
            #expect(throws: ClientGone.self) {
                try db.copyOut("COPY (SELECT g, repeat('x', 100) FROM generate_series(1, 2000000) g) TO STDOUT") { _ in
                    calls += 1
                    throw ClientGone()
                }
            }
            #expect(calls == 1)
            #expect(db.isHealthy && db.isIdle)
            #expect(try db.query("SELECT 2 AS two")[0].int("two") == 2)
        }
    }
}
