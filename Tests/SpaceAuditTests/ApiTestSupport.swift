import AuditCore
import AuditHTTP
import AuditOIDC
import Foundation

@testable import AuditPostgres
@testable import SpaceAudit

/// A private migrated database with the API routes over it, for the Api*Tests.
struct ApiHarness {
    let pool: ConnectionPool
    let store: EventStore
    let router: Router
    let now: Date

    /// Creates `api_<random>` on SPACEAUDIT_TEST_DATABASE_URL, runs `body`, drops it.
    static func with<T>(now: Date = RFC3339.parse("2026-08-22T12:00:00Z")!, _ body: (ApiHarness) throws -> T) throws -> T {
        guard let base = ProcessInfo.processInfo.environment["SPACEAUDIT_TEST_DATABASE_URL"], !base.isEmpty else {
            throw ApiSetupError(
                description: "SPACEAUDIT_TEST_DATABASE_URL is not set: run `eval \"$(scripts/test-postgres.sh)\"` first")
        }
        let admin = try Connection(conninfo: base)
        let name = "api_" + UUID().uuidString.lowercased().filter { $0 != "-" }
        try admin.execute("CREATE DATABASE \(identifier: name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        let pool = try ConnectionPool(conninfo: try ConnectionString.overriding(base, with: ["dbname": name]), maxConnections: 2)
        defer { pool.close() }
        try pool.withConnection { connection in _ = try Migrator(try migrations()).migrate(connection) }
        let sessions = SessionResolver(pool: pool, secureCookies: false, idleTimeout: 3600, clock: { now })
        var router = Router()
        ApiRoutes(queries: EventQueries(pool: pool), sessions: sessions, clock: { now }).register(on: &router)
        return try body(ApiHarness(pool: pool, store: EventStore(pool: pool, hash: { Crypto.sha256($0) }), router: router, now: now))
    }

    /// Inserts a live session and returns its cookie value.
    func session(admin: Bool = true, orgs: [String] = []) throws -> String {
        let cookie = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 32))
        try pool.withConnection { connection in
            _ = try connection.execute(
                """
                INSERT INTO admin_sessions (id_hash, sub, username, is_admin_all, visible_orgs, csrf_hash, expires_at, last_seen_at)
                VALUES (\(Crypto.sha256(cookie)), 'sub-admin', 'admin', \(admin), \(orgs), \(Crypto.sha256("csrf")),
                        \(now.addingTimeInterval(3600)), \(now))
                """)
        }
        return cookie
    }

    func register(_ id: String) throws {
        try pool.withConnection { connection in
            _ = try connection.execute(
                "INSERT INTO spaces (id, host, metadata) VALUES (\(id), \(SpaceID(id)!.defaultHost), '{\"hf_oauth\": true}'::jsonb)")
        }
    }

    func append(_ id: String, _ events: [NewEvent]) throws {
        _ = try store.append(events, spaceID: SpaceID(id)!)
    }

    /// GET `target` with the session cookie (if any); the answer as status + parsed JSON.
    func get(_ target: String, cookie: String?) throws -> (status: Int, json: [String: Any]) {
        var headers = HTTPHeaders()
        if let cookie { headers.add("Cookie", "spaceaudit_session=\(cookie)") }
        let response: Response
        do {
            response = try router.handle(try Request(method: "GET", target: target, headers: headers))
        } catch let error as HTTPError {
            response = error.response
        }
        guard case .bytes(let bytes) = response.body,
            let json = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { throw ApiSetupError(description: "\(target): response is not a JSON object") }
        return (response.status, json)
    }

    private static func migrations() throws -> [Migration] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("sql")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted().map {
            try Migration.parse(fileName: $0, contents: String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        }
    }
}

struct ApiSetupError: Error, CustomStringConvertible {
    let description: String
}

/// A successful sign-in `ago` seconds before `now`.
func signIn(_ user: String, at date: Date, scopes: [String] = ["openid", "profile"]) -> NewEvent {
    NewEvent(
        occurredAt: date, event: .loginSucceeded, outcome: .success, userSub: "sub-\(user)", username: user,
        scopesGranted: scopes, source: .ingest)
}

func failure(at date: Date, reason: String = "state_expired") -> NewEvent {
    NewEvent(occurredAt: date, event: .loginFailed, outcome: .failure, reason: reason, source: .ingest)
}
