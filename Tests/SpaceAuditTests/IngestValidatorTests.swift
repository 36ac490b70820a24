import AuditCore
import Foundation
import Testing

@testable import SpaceAudit

/// IngestBatchValidator: all-or-nothing, every problem by index and field, time window edges.
@Suite struct IngestValidatorTests {
    static let now = Date(timeIntervalSince1970: 1_779_000_000)
    let validator = IngestBatchValidator(oldestAccepted: now.addingTimeInterval(-86_400 * 365), now: now)

    func validate(_ text: String) throws -> IngestBatchValidator.Outcome {
        validator.validate(try StrictJSONParser(maxBytes: 1 << 20).parse(Array(text.utf8)))
    }

    func problems(_ text: String) throws -> [IngestProblem] {
        guard case .invalid(let problems) = try validate(text) else { return [] }
        return problems
    }

    static func at(_ offset: TimeInterval) -> String { RFC3339.format(now.addingTimeInterval(offset)) }

    @Test func aValidBatchBecomesEvents() throws {
        let body = """
            {"events": [{"event": "login_succeeded", "occurred_at": "\(Self.at(0))", "idempotency_key": "k1", "outcome": "success",
              "user_sub": "u1", "username": "alice", "orgs": ["acme"], "scopes_granted": ["openid", "profile"],
              "client_ip": "2001:db8::1", "user_agent": "Mozilla/5.0 😀", "reason": null}]}
            """
        guard case .valid(let events) = try validate(body) else {
            Issue.record("expected valid")
            return
        }
        #expect(events.count == 1)
        #expect(events[0].source == .ingest)
        #expect(events[0].scopesGranted == ["openid", "profile"])
        #expect(events[0].reason == nil)
        #expect(events[0].occurredAt == Self.now)
    }

    @Test func everyProblemIsListedByIndexAndField() throws {
        let body = """
            {"events": [
              {"event": "login_succeeded", "occurred_at": "\(Self.at(0))", "idempotency_key": "ok"},
              {"event": "nope", "occurred_at": "soon", "username": 5, "extra": true},
              {"occurred_at": "\(Self.at(0))", "idempotency_key": "k", "orgs": ["a b", 1]}
            ], "more": 1}
            """
        let found = try problems(body).map { "\($0.index.map(String.init) ?? "-"):\($0.field)" }
        #expect(
            Set(found) == [
                "-:more", "1:event", "1:occurred_at", "1:idempotency_key", "1:username", "1:extra", "2:event", "2:orgs[0]", "2:orgs[1]",
            ])
    }

    @Test func timeWindowEdges() throws {
        func check(_ offset: TimeInterval) throws -> Bool {
            try problems(#"{"events": [{"event": "logout", "occurred_at": "\#(Self.at(offset))", "idempotency_key": "k"}]}"#).isEmpty
        }
        #expect(try check(300))  // exactly 5 minutes ahead: clock skew allowed
        #expect(try !check(301))
        #expect(try check(-86_400 * 365))  // the oldest instant of the window
        #expect(try !check(-86_400 * 365 - 1))
    }

    @Test func controlCharactersAndLimits() throws {
        for value in ["a\\u0000b", "a\\r\\nb", "a\\tb", "\\u001b[0m", "a\\u0085"] {
            let found = try problems(
                #"{"events": [{"event": "logout", "occurred_at": "\#(Self.at(0))", "idempotency_key": "k", "username": "\#(value)"}]}"#)
            #expect(found.map(\.field) == ["username"], "\(value)")
        }
        let long = String(repeating: "x", count: 257)
        #expect(
            try problems(
                #"{"events": [{"event": "logout", "occurred_at": "\#(Self.at(0))", "idempotency_key": "k", "user_sub": "\#(long)"}]}"#
            ).map(\.field) == ["user_sub"])
        let many = (0...1000).map { _ in #"{"event": "logout", "occurred_at": "\#(Self.at(0))", "idempotency_key": "k"}"# }.joined(
            separator: ",")
        #expect(try problems(#"{"events": [\#(many)]}"#).map(\.field) == ["events"])
    }

    @Test func reservedAndContradictoryEventsAreRefused() throws {
        for (event, outcome) in [
            ("export", "success"), ("retention", "success"), ("login_succeeded", "failure"), ("login_failed", "success"),
        ] {
            let found = try problems(
                #"{"events": [{"event": "\#(event)", "outcome": "\#(outcome)", "occurred_at": "\#(Self.at(0))", "idempotency_key": "k"}]}"#)
            #expect(!found.isEmpty, "\(event) \(outcome)")
        }
    }

    @Test func unknownKeysAreNotEchoed() throws {
        let found = try problems(
            #"{"events": [{"event": "logout", "occurred_at": "\#(Self.at(0))", "idempotency_key": "k", "<script>": 1}]}"#)
        #expect(found.map(\.field) == ["(unprintable key)"])
    }

    @Test func tokensHaveARecognisableShape() throws {
        let token = try IngestToken.generate()
        #expect(IngestToken.isWellFormed(token))
        #expect(try IngestToken.generate() != token)
        #expect(!IngestToken.isWellFormed("sa_ingest_short"))
        #expect(!IngestToken.isWellFormed("sa_ingest_" + String(repeating: "+", count: 43)))
    }

    @Test func rateLimiterIsPerTokenAndRefills() {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 0) }
        let clock = Clock()
        let limiter = IngestRateLimiter(ratePerSecond: 1, burst: 2, clock: { clock.now })
        #expect(limiter.acquire(tokenID: 1) == nil)
        #expect(limiter.acquire(tokenID: 1) == nil)
        #expect(limiter.acquire(tokenID: 1) == 1)
        #expect(limiter.acquire(tokenID: 2) == nil)
        clock.now = clock.now.addingTimeInterval(1)
        #expect(limiter.acquire(tokenID: 1) == nil)
        #expect(limiter.acquire(tokenID: 1) != nil)
    }
}
