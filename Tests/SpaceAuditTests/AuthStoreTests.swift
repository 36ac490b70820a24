import AuditOIDC
import AuditPostgres
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import SpaceAudit

@Suite("Auth: login attempts and sessions in PostgreSQL")
struct AuthStoreTests {
    let now = Date(timeIntervalSince1970: 1_767_225_600)

    func attempt(state: String, browser: [UInt8]) -> LoginAttemptStore.Attempt {
        LoginAttemptStore.Attempt(
            stateHash: Crypto.sha256(state), browserHash: Crypto.sha256(browser), returnTo: "/spaces",
            redirectURI: "http://127.0.0.1:7860/login/callback", scopesRequested: ["openid", "profile"])
    }

    func same(_ browser: [UInt8]) -> ([UInt8]) -> Bool { { Crypto.constantTimeEquals(Crypto.sha256(browser), $0) } }

    @Test("a state is accepted once, then reused; unknown, expired and other-browser states are told apart")
    func consumption() throws {
        try AuthTestSupport.withMigratedPool { pool in
            let store = LoginAttemptStore(pool: pool)
            let browser = [UInt8](repeating: 1, count: 32)
            let other = [UInt8](repeating: 2, count: 32)
            for state in ["fresh", "late", "stolen"] {
                try store.insert(attempt(state: state, browser: browser), createdAt: now, expiresAt: now.addingTimeInterval(600))
            }
            let fresh = try store.consume(stateHash: Crypto.sha256("fresh"), now: now, browserMatches: same(browser))
            #expect(fresh == .accepted(attempt(state: "fresh", browser: browser)))
            #expect(try store.consume(stateHash: Crypto.sha256("fresh"), now: now, browserMatches: same(browser)) == .reused)
            #expect(try store.consume(stateHash: Crypto.sha256("never-issued"), now: now, browserMatches: same(browser)) == .unknown)
            let late = try store.consume(stateHash: Crypto.sha256("late"), now: now.addingTimeInterval(601), browserMatches: same(browser))
            #expect(late == .expired(attempt(state: "late", browser: browser)))
            let stolen = try store.consume(stateHash: Crypto.sha256("stolen"), now: now, browserMatches: same(other))
            #expect(stolen == .otherBrowser(attempt(state: "stolen", browser: browser)))
            // Presenting it burnt it: the rightful browser cannot use it any more either.
            #expect(try store.consume(stateHash: Crypto.sha256("stolen"), now: now, browserMatches: same(browser)) == .reused)
        }
    }

    @Test("eight callbacks racing with one state: exactly one is accepted")
    func singleUseUnderRace() throws {
        try AuthTestSupport.withMigratedPool { pool in
            let store = LoginAttemptStore(pool: pool)
            let browser = [UInt8](repeating: 3, count: 32)
            try store.insert(attempt(state: "race", browser: browser), createdAt: now, expiresAt: now.addingTimeInterval(600))
            let outcomes = Mutex<[LoginAttemptStore.Consumption]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                let result = try? store.consume(stateHash: Crypto.sha256("race"), now: now, browserMatches: same(browser))
                if let result { outcomes.withLock { $0.append(result) } }
            }
            let all = outcomes.withLock { $0 }
            #expect(all.count == 8)
            #expect(all.filter { if case .accepted = $0 { true } else { false } }.count == 1)
            #expect(all.filter { $0 == .reused }.count == 7)
        }
    }

    @Test("a session lives until its idle or absolute expiry; expiry is reported once")
    func sessions() throws {
        try AuthTestSupport.withMigratedPool { pool in
            let store = SessionStore(pool: pool)
            let idHash = Crypto.sha256("session-id")
            try store.create(
                .init(
                    idHash: idHash, csrfHash: Crypto.sha256("csrf"), sub: "u1", username: "ada", orgsJSON: "[]",
                    isAdminAll: true, visibleOrgs: []),
                now: now, expiresAt: now.addingTimeInterval(8 * 3600))
            let idle: TimeInterval = 3600
            let later = now.addingTimeInterval(1800)
            #expect(try store.touch(idHash: idHash, now: later, idleCutoff: later.addingTimeInterval(-idle))?.username == "ada")
            // 61 minutes after the last use: idle-expired, not live, ended exactly once.
            let idleLater = later.addingTimeInterval(3660)
            #expect(try store.touch(idHash: idHash, now: idleLater, idleCutoff: idleLater.addingTimeInterval(-idle)) == nil)
            #expect(try store.endIfExpired(idHash: idHash, now: idleLater, idleCutoff: idleLater.addingTimeInterval(-idle))?.sub == "u1")
            #expect(try store.endIfExpired(idHash: idHash, now: idleLater, idleCutoff: idleLater.addingTimeInterval(-idle)) == nil)
            #expect(try store.touch(idHash: idHash, now: later, idleCutoff: later.addingTimeInterval(-idle)) == nil)  // ended stays ended
        }
    }

    @Test("logout ends a live session once; the id is stored only as its hash")
    func logout() throws {
        try AuthTestSupport.withMigratedPool { pool in
            let store = SessionStore(pool: pool)
            let idHash = Crypto.sha256("another-id")
            try store.create(
                .init(
                    idHash: idHash, csrfHash: Crypto.sha256("csrf"), sub: "u2", username: "bob", orgsJSON: "[{\"name\":\"acme\"}]",
                    isAdminAll: false, visibleOrgs: ["acme"]),
                now: now, expiresAt: now.addingTimeInterval(3600))
            #expect(try store.end(idHash: idHash, now: now)?.visibleOrgs == ["acme"])
            #expect(try store.end(idHash: idHash, now: now) == nil)
            let found = try pool.withConnection {
                try $0.query("SELECT count(*) AS n FROM admin_sessions WHERE id_hash::text LIKE '%another-id%'")
            }
            #expect(try found[0].int("n") == 0)
        }
    }
}
