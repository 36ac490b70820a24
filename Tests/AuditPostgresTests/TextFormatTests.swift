import Foundation
import Testing

@testable import AuditPostgres

/// Pure encoders, parsers and builders: no server needed.
@Suite struct TextFormatTests {
    @Test func interpolatedValuesBecomeParameters() {
        let name = "'); DROP TABLE spaces; --"
        let limit = 5
        let sql: SQL = "SELECT * FROM spaces WHERE id = \(name) AND n < \(limit) OR x = \(nil as String?)"
        #expect(sql.text == "SELECT * FROM spaces WHERE id = $1 AND n < $2 OR x = $3")
        #expect(sql.parameterTexts == [name, "5", nil])
        #expect(sql.description.contains("DROP") == false)
    }

    @Test func identifiersAreQuotedEvenWithCombiningMarks() {
        // A quote followed by a combining accent is one Character but still a quote.
        let sql: SQL = "SELECT 1 FROM \(identifier: "we\"ird\u{22}\u{301}") \(unsafeRaw: "LIMIT 1")"
        #expect(sql.text == "SELECT 1 FROM \"we\"\"ird\"\"\u{301}\" LIMIT 1")
        #expect(sql.parameterTexts.isEmpty)
    }

    @Test func arrayLiteralQuotesEverything() {
        #expect(TextFormat.encodeArray([]) == "{}")
        #expect(
            TextFormat.encodeArray(["a", "b,c", "q\"x", "back\\slash", "NULL", "", " {}"])
                == #"{"a","b,c","q\"x","back\\slash","NULL",""," {}"}"#)
    }

    @Test func arrayOutputParses() {
        #expect(TextFormat.parseArray("{}") == [])
        #expect(TextFormat.parseArray(#"{a,"b c",NULL,"NULL","q\"x","b\\s",""}"#) == ["a", "b c", nil, "NULL", "q\"x", "b\\s", ""])
        #expect(TextFormat.parseArray("[0:1]={x,y}") == ["x", "y"])
        #expect(TextFormat.parseArray("{{a},{b}}") == nil)
        #expect(TextFormat.parseArray(#"{"open}"#) == nil)
        #expect(TextFormat.parseArray("{a,}") == nil)
        #expect(TextFormat.parseArray("a,b") == nil)
    }

    @Test func byteaHexRoundTrips() {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xfe, 0xff]
        #expect(TextFormat.encodeBytea(bytes) == "\\x00017f80feff")
        #expect(TextFormat.parseBytea("\\x00017F80FEff") == bytes)
        #expect(TextFormat.parseBytea("\\x") == [])
        #expect(TextFormat.parseBytea("\\x0") == nil)
        #expect(TextFormat.parseBytea("00") == nil)
        #expect(TextFormat.parseBytea("\\xzz") == nil)
    }

    @Test func timestampsFormatInUTCWithMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_714_566_896.123456)
        #expect(Timestamp.format(date) == "2024-05-01T12:34:56.123456Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000000Z")
    }

    @Test func timestampsParsePostgresOutput() throws {
        let expected = Date(timeIntervalSince1970: 1_714_566_896.123456)
        #expect(Timestamp.parse("2024-05-01 12:34:56.123456+00") == expected)
        #expect(Timestamp.parse("2024-05-01T12:34:56.123456Z") == expected)
        #expect(Timestamp.parse("2024-05-01 18:04:56.123456+05:30") == expected)
        #expect(Timestamp.parse("2024-05-01 08:34:56.123456-04") == expected)
        #expect(Timestamp.parse("2024-05-01 12:34:56+00") == Date(timeIntervalSince1970: 1_714_566_896))
        #expect(Timestamp.parse("2024-05-01 12:34:56.5+00") == Date(timeIntervalSince1970: 1_714_566_896.5))
        #expect(Timestamp.parse("2024-05-01") == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(Timestamp.parse("infinity") == .distantFuture)
        #expect(Timestamp.parse("0001-01-01 00:00:00+00 BC") != nil)
        for bad in ["", "2024-13-01", "2024-05-01 25:00:00", "2024-05-01 12:34:56+0x", "yesterday", "2024-05-01 12:34:56.+00"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func timestampRoundTripIsExactToTheMicrosecond() {
        // Dates far from 1970 have coarser Doubles than a microsecond; this covers 1900...2099.
        for micros in [Int64(0), 1, -1, 999_999, 1_714_566_896_123_456, -2_208_988_800_000_001, 4_102_444_799_999_999] {
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            #expect(Timestamp.parse(Timestamp.format(date)) == date, "\(micros)")
        }
    }

    @Test func migrationNamesAreValidated() throws {
        let m = try Migration.parse(fileName: "0001_create_schema.sql", contents: "SELECT 1")
        #expect(m == Migration(version: 1, name: "create_schema", sql: "SELECT 1"))
        #expect(m.fileName == "0001_create_schema.sql")
        #expect(try Migration.parse(fileName: "0042_add_index2_x.sql", contents: "").version == 42)
        for bad in [
            "0001_schema.sql", "1_create_schema.sql", "0000_create_schema.sql", "0001_Create_schema.sql",
            "0001_create__schema.sql", "0001_create_schema.SQL", "0001_create_schema", "abcd_create_schema.sql",
            "0001_2create_schema.sql", "0001-create-schema.sql",
        ] {
            #expect(throws: PostgresError.self, "\(bad)") { try Migration.parse(fileName: bad, contents: "") }
        }
    }

    @Test func duplicateMigrationVersionsAreRefused() {
        #expect(throws: PostgresError.self) {
            try Migrator([Migration(version: 1, name: "a_b", sql: ""), Migration(version: 1, name: "c_d", sql: "")])
        }
    }

    @Test func errorDescriptionsKeepDataOut() {
        let error = PostgresError(
            .server, "invalid input syntax for type integer: \"secret-value\"", sqlState: "22P02", detail: "d")
        #expect(!error.description.contains("secret-value"))
        #expect(error.description.contains("22P02"))
        #expect(error.debugDescription.contains("secret-value"))
        #expect(!error.isRetryable)
        #expect(PostgresError(.server, "x", sqlState: "40001").isRetryable)
        #expect(PostgresError(.server, "x", sqlState: "57P01").isConnectionFailure)
        #expect(PostgresError(.connectionLost, "x").isRetryable)
    }

    @Test func connectionStringsAreRewrittenByLibpq() throws {
        let kv = try ConnectionString.overriding("postgresql://u:p%20w@h:5433/db?sslmode=disable", with: ["dbname": "o'x"])
        #expect(kv.contains("dbname='o\\'x'"))
        #expect(kv.contains("password='p w'"))
        #expect(kv.contains("port='5433'"))
        #expect(throws: PostgresError.self) { try ConnectionString.parse("postgresql://h/db?nonsense=1") }
    }
}
