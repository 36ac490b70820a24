import Foundation
import Testing

@testable import AuditPostgres

@Suite struct ErrorTests {
    @Test func constraintViolationsCarrySQLState() throws {
        try TestDatabase.withConnection { db throws in
            try db.execute("CREATE TABLE t (id text PRIMARY KEY, n int CHECK (n > 0))")
            try db.execute("INSERT INTO t VALUES (\("a"), 1)")
            let duplicate = #expect(throws: PostgresError.self) { try db.execute("INSERT INTO t VALUES (\("a"), 2)") }
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.isUniqueViolation == true)
            #expect(duplicate?.isRetryable == false)
            #expect(duplicate?.debugDescription.contains("Key (id)=(a) already exists") == true)
            #expect(duplicate?.description.contains("(a)") == false)  // detail (values) only in the debug text

            let check = #expect(throws: PostgresError.self) { try db.execute("INSERT INTO t VALUES (\("b"), \(-1))") }
            #expect(check?.sqlState == "23514")
            #expect(check?.isCheckViolation == true)
        }
    }

    @Test func dataErrorsDoNotEchoParameterValues() throws {
        try TestDatabase.withConnection { db throws in
            let error = #expect(throws: PostgresError.self) { try db.query("SELECT \("hunter2-secret")::int AS n") }
            #expect(error?.sqlState == "22P02")
            #expect(error?.description.contains("hunter2") == false)
            #expect(error?.debugDescription.contains("hunter2") == true)
        }
    }

    @Test func syntaxErrorsReportPositionAndTheConnectionRecovers() throws {
        try TestDatabase.withConnection { db throws in
            let error = #expect(throws: PostgresError.self) { try db.query("SELECT 1 FROMM nowhere") }
            #expect(error?.sqlState == "42601")
            #expect(error?.position != nil)
            #expect(try db.query("SELECT 1 AS one")[0].int("one") == 1)
        }
    }

    @Test func connectionFailuresAreRetryableAndHidePasswords() throws {
        let base = try TestDatabase.baseURL()
        let unreachable = try ConnectionString.overriding(
            base, with: ["host": "/nonexistent-spaceaudit-socket", "password": "s3cr3t-pw", "connect_timeout": "2"])
        let error = #expect(throws: PostgresError.self) { try Connection(conninfo: unreachable) }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.isRetryable == true)
        #expect(error?.description.hasPrefix("cannot connect to PostgreSQL") == true)
        #expect(error?.debugDescription.contains("s3cr3t-pw") == false)

        let wrongDatabase = try ConnectionString.overriding(base, with: ["dbname": "no_such_db_spaceaudit"])
        let refused = #expect(throws: PostgresError.self) { try Connection(conninfo: wrongDatabase) }
        #expect(refused?.isConnectionFailure == true)

        let malformed = #expect(throws: PostgresError.self) { try Connection(conninfo: "postgresql://u:topsecret@h/db?bogus=1") }
        #expect(malformed?.debugDescription.contains("topsecret") == false)
        #expect(malformed?.isRetryable == false)
    }

    @Test func aTerminatedBackendIsARetryableErrorAndResetRecovers() throws {
        try TestDatabase.with { conninfo throws in
            let db = try Connection(conninfo: conninfo)
            #expect(try db.query("SELECT 1 AS one")[0].int("one") == 1)
            try TestDatabase.terminateBackends(of: conninfo)
            let error = #expect(throws: PostgresError.self) { try db.query("SELECT 1 AS one") }
            #expect(error?.isRetryable == true)
            #expect(error?.isConnectionFailure == true)
            #expect(!db.isHealthy)
            try db.reset()
            #expect(try db.query("SELECT current_setting('TimeZone') AS tz")[0].string("tz") == "UTC")
        }
    }
}
