import Foundation
import Testing

@testable import AuditPostgres

/// Shared by the Auth*Tests: a private migrated database, and the repository's data files.
enum AuthTestSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct SetupError: Error, CustomStringConvertible { let description: String }

    /// A fresh database migrated with sql/, as a pool; dropped afterwards. Fails loudly without
    /// SPACEAUDIT_TEST_DATABASE_URL.
    static func withMigratedPool<T>(_ body: (ConnectionPool) throws -> T) throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SPACEAUDIT_TEST_DATABASE_URL"], !base.isEmpty else {
            throw SetupError(description: "SPACEAUDIT_TEST_DATABASE_URL is not set: run eval \"$(scripts/test-postgres.sh start)\"")
        }
        let admin = try Connection(conninfo: base)
        let name = "auth_test_" + UUID().uuidString.lowercased().filter { $0 != "-" }
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        let conninfo = try ConnectionString.overriding(base, with: ["dbname": name])
        let pool = try ConnectionPool(conninfo: conninfo, maxConnections: 8)
        defer { pool.close() }
        try pool.withConnection { connection in _ = try Migrator(migrations()).migrate(connection) }
        return try body(pool)
    }

    static func migrations() throws -> [Migration] {
        let folder = repositoryRoot.appendingPathComponent("sql")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try files.map { file in
            try Migration.parse(fileName: file, contents: String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8))
        }
    }

    /// Tests/e2e/data/open_redirects.txt, decoded like the e2e test does (Python string escapes).
    static func openRedirectPayloads() throws -> [String] {
        let url = repositoryRoot.appendingPathComponent("Tests/e2e/data/open_redirects.txt")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
            .map { unescape(String($0)) }
    }

    /// `\t \n \r \\ \uXXXX`, the subset the payload file uses.
    static func unescape(_ line: String) -> String {
        var out = ""
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            guard c == "\\", let next = chars.popFirst() else {
                out.append(c)
                continue
            }
            switch next {
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "u":
                let hex = String(chars.prefix(4))
                chars = chars.dropFirst(4)
                out.unicodeScalars.append(Unicode.Scalar(UInt32(hex, radix: 16)!)!)
            default: out.append(next)
            }
        }
        return out
    }
}
