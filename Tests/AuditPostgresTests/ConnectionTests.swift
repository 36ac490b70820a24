import Foundation
import Testing

@testable import AuditPostgres

/// Values sent as parameters come back byte-for-byte, whatever they contain.
@Suite struct ConnectionTests {
    static let awkwardStrings = [
        "it's", "\"quoted\"", "semi;colon", "'); DROP TABLE t; --", "$1", "back\\slash", "%_like",
        "emoji 👩🏽‍💻🏳️‍🌈", "RTL שלום عربي", "combining e\u{301} a\u{30A}\u{323}", "zero\u{200B}width", "\t\r\n",
        "NULL", "", " ",
    ]

    @Test func stringsWithQuotesInjectionAndUnicodeRoundTrip() throws {
        try TestDatabase.withConnection { db throws in
            try db.execute("CREATE TABLE t (id int PRIMARY KEY, s text)")
            for (i, s) in Self.awkwardStrings.enumerated() {
                #expect(try db.execute("INSERT INTO t VALUES (\(i), \(s))") == 1)
            }
            let rows = try db.query("SELECT id, s FROM t ORDER BY id")
            #expect(try rows.map { try $0.string("s") } == Self.awkwardStrings)
            // The table survived the would-be injection, and the value matches as a value.
            #expect(try db.query("SELECT id FROM t WHERE s = \("'); DROP TABLE t; --")").first?.int("id") == 3)
        }
    }

    @Test func nullsAndOptionals() throws {
        try TestDatabase.withConnection { db throws in
            let none: String? = nil
            let sql: SQL = "SELECT \(none)::text AS s, \(Int?.none) AS i, \(Date?.none) AS d, \(Optional("x")) AS x"
            let row = try #require(try db.query(sql).first)
            #expect(try row.optionalString("s") == nil)
            #expect(try row.optionalInt("i") == nil)
            #expect(try row.optionalDate("d") == nil)
            #expect(try row.optionalString("x") == "x")
            #expect(try row.isNull("s"))
            let error = #expect(throws: PostgresError.self) { try row.string("s") }
            #expect(error?.description.contains("\"s\" is NULL") == true)
        }
    }

    @Test func largeTextRoundTrips() throws {
        try TestDatabase.withConnection { db throws in
            let big = String(repeating: "0123456789abcdeé", count: 1_048_576 / 16)
            let row = try db.query("SELECT \(big) AS s, octet_length(\(big)) AS n")[0]
            #expect(try row.string("s") == big)
            #expect(try row.int("n") == big.utf8.count)
        }
    }

    @Test func textArraysRoundTrip() throws {
        try TestDatabase.withConnection { db throws in
            let arrays: [[String]] = [
                [], ["a"], ["with,comma", "with\"quote", "with\\backslash", "{braces}", "NULL", "null", "", " padded "],
                ["emoji 🎉", "שלום", "e\u{301}"],
            ]
            try db.execute("CREATE TABLE t (id int, a text[])")
            for (i, array) in arrays.enumerated() { try db.execute("INSERT INTO t VALUES (\(i), \(array))") }
            let rows = try db.query("SELECT a, cardinality(a) AS n FROM t ORDER BY id")
            #expect(try rows.map { try $0.stringArray("a") } == arrays)
            #expect(try rows.map { try $0.int("n") } == arrays.map(\.count))
            // Server-made arrays with real NULL elements.
            let row = try db.query("SELECT ARRAY['x', NULL, 'NULL']::text[] AS a, NULL::text[] AS b")[0]
            #expect(try row.nullableStringArray("a") == ["x", nil, "NULL"])
            #expect(throws: PostgresError.self) { try row.stringArray("a") }
            #expect(try row.optionalStringArray("b") == nil)
            #expect(try db.query("SELECT \("b") = ANY(\(["a", "b"])) AS hit")[0].bool("hit"))
        }
    }

    @Test func byteaRoundTrips() throws {
        try TestDatabase.withConnection { db throws in
            let all = (0...255).map { UInt8($0) }
            let row = try db.query("SELECT \(all) AS b, \(Data(all)) AS d, length(\(all)) AS n, \([UInt8]()) AS e")[0]
            #expect(try row.bytes("b") == all)
            #expect(try row.bytes("d") == all)
            #expect(try row.int("n") == 256)
            #expect(try row.bytes("e") == [])
        }
    }

    @Test func datesRoundTripWithMicroseconds() throws {
        try TestDatabase.withConnection { db throws in
            let dates = [1_714_566_896_123_456, 1, -1, 951_782_399_999_999].map { Date(timeIntervalSince1970: Double($0) / 1e6) }
            try db.execute("CREATE TABLE t (id int, at timestamptz)")
            for (i, d) in dates.enumerated() { try db.execute("INSERT INTO t VALUES (\(i), \(d))") }
            #expect(try db.query("SELECT at FROM t ORDER BY id").map { try $0.date("at") } == dates)
            // The session runs in UTC whatever the server default, and the value is exact.
            let row = try db.query("SELECT \(dates[0])::text AS text, extract(microseconds FROM \(dates[0])) AS us")[0]
            #expect(try row.string("text") == "2024-05-01 12:34:56.123456+00")
            #expect(try row.string("us") == "56123456")
        }
    }

    @Test func scalarsUuidsAndBools() throws {
        try TestDatabase.withConnection { db throws in
            let id = UUID()
            let row = try db.query(
                "SELECT \(Int.max) AS big, \(Int64.min) AS small, \(true) AS t, \(false) AS f, \(0.1) AS x, \(id) AS id, \(id.uuidString)::uuid = \(id) AS same"
            )[0]
            #expect(try row.int("big") == Int.max)
            #expect(try row.string("small") == String(Int64.min))
            #expect(try row.bool("t") && !row.bool("f") && row.bool("same"))
            #expect(try row.double("x") == 0.1)
            #expect(try row.uuid("id") == id)
        }
    }

    @Test func decodingErrorsNameTheColumn() throws {
        try TestDatabase.withConnection { db throws in
            let row = try db.query("SELECT 'abc'::text AS word, 1 AS one")[0]
            let missing = #expect(throws: PostgresError.self) { try row.string("nope") }
            #expect(missing?.description == "no column \"nope\" in result (columns: word, one)")
            let wrongType = #expect(throws: PostgresError.self) { try row.int("word") }
            #expect(wrongType?.description == "column \"word\" is not a valid Int")
        }
    }

    @Test func nulCharactersAreRefusedNotTruncated() throws {
        try TestDatabase.withConnection { db throws in
            let error = #expect(throws: PostgresError.self) { try db.query("SELECT \("a\u{0}b") AS s") }
            #expect(error?.description.contains("$1 contains a NUL") == true)
            #expect(try db.query("SELECT 1 AS one")[0].int("one") == 1)  // still usable
        }
    }

    @Test func multipleStatementsNeedSimpleExecute() throws {
        try TestDatabase.withConnection { db throws in
            #expect(throws: PostgresError.self) { try db.execute("CREATE TABLE a (x int); CREATE TABLE b (x int)") }
            try db.simpleExecute("CREATE TABLE a (x int); CREATE TABLE b (x int); INSERT INTO b VALUES (1);")
            #expect(try db.execute("UPDATE b SET x = 2") == 1)
            // A COPY sent to execute is refused and the connection stays usable.
            #expect(throws: PostgresError.self) { try db.execute("COPY b FROM STDIN") }
            #expect(throws: PostgresError.self) { try db.execute("COPY b TO STDOUT") }
            #expect(try db.query("SELECT x FROM b")[0].int("x") == 2)
        }
    }

    @Test func transactionsCommitRollBackAndNest() throws {
        try TestDatabase.withConnection { db throws in
            try db.execute("CREATE TABLE t (x int)")
            try db.transaction { try $0.execute("INSERT INTO t VALUES (1)") }
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try db.transaction { db in
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            try db.transaction { outer in
                try outer.execute("INSERT INTO t VALUES (3)")
                _ = try? outer.transaction { inner in
                    try inner.execute("INSERT INTO t VALUES (4)")
                    throw Boom()
                }
                try outer.transaction { try $0.execute("INSERT INTO t VALUES (5)") }
            }
            #expect(try db.query("SELECT x FROM t ORDER BY x").map { try $0.int("x") } == [1, 3, 5])
            #expect(db.isIdle)
        }
    }
}
