import Dispatch
import Foundation
import Testing

@testable import AuditOIDC

@Suite struct JWKSCacheTests {
    static let jwksURL = URL(string: "https://idp.test/jwks")!
    let http = FakeHTTPClient()
    let clock = TestClock()
    let published = Locked<[[String: Any]]>([])  // what the fake provider serves

    init() {
        serve([TestKey.primary.jwk()])
        let published = self.published
        http.on("GET", Self.jwksURL.absoluteString) { _ in
            let keys = published.get()
            return OutboundResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: ["keys": keys])))
        }
    }

    func serve(_ keys: [[String: Any]]) {
        published.set(keys)
    }

    var fetches: Int { http.count("GET", Self.jwksURL.absoluteString) }

    @Test func cachesKeysAfterTheFirstFetch() throws {
        let cache = JWKSCache(http: http, clock: clock.function)
        for _ in 0..<5 { #expect(try cache.key(kid: "key-1", jwksURI: Self.jwksURL).modulus == TestKey.primary.modulus) }
        #expect(fetches == 1 && cache.fetchCount == 1)
    }

    @Test func rotationIsPickedUpWithOneRefetch() throws {
        let cache = JWKSCache(http: http, clock: clock.function)
        _ = try cache.key(kid: "key-1", jwksURI: Self.jwksURL)
        serve([TestKey.rotated.jwk()])
        #expect(try cache.key(kid: "key-2", jwksURI: Self.jwksURL).modulus == TestKey.rotated.modulus)
        #expect(fetches == 2)
    }

    @Test func refetchIsRateLimitedUnderAFloodOfBadKids() throws {
        let cache = JWKSCache(http: http, clock: clock.function, refetchInterval: 30)
        _ = try cache.key(kid: "key-1", jwksURI: Self.jwksURL)
        DispatchQueue.concurrentPerform(iterations: 100) { i in
            #expect(throws: OIDCError.idToken(.unknownKid)) { try cache.key(kid: "bogus-\(i)", jwksURI: Self.jwksURL) }
        }
        #expect(fetches == 2)  // the initial fetch + at most ONE re-fetch
        // Once the interval has passed, a rotation can be picked up again.
        clock.advance(31)
        serve([TestKey.rotated.jwk()])
        #expect(try cache.key(kid: "key-2", jwksURI: Self.jwksURL).kid == "key-2")
        #expect(fetches == 3)
    }

    @Test func withinTheIntervalARotationWaits() throws {
        let cache = JWKSCache(http: http, clock: clock.function, refetchInterval: 30)
        _ = try cache.key(kid: "key-1", jwksURI: Self.jwksURL)
        #expect(throws: OIDCError.idToken(.unknownKid)) { try cache.key(kid: "bogus", jwksURI: Self.jwksURL) }
        serve([TestKey.rotated.jwk()])
        #expect(throws: OIDCError.idToken(.unknownKid)) { try cache.key(kid: "key-2", jwksURI: Self.jwksURL) }
        clock.advance(30)
        #expect(try cache.key(kid: "key-2", jwksURI: Self.jwksURL).kid == "key-2")
    }

    @Test func onlyRS256SigningKeysAreKept() throws {
        let primary = TestKey.primary
        serve([
            primary.jwk(kid: "enc", extra: ["use": "enc"]),
            primary.jwk(kid: "rs512", extra: ["alg": "RS512"]),
            ["kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"],
            TestKey.weak.jwk(),
            primary.jwk(kid: "bad-n", extra: ["n": "not base64!"]),
            primary.jwk(kid: "no-alg-no-use", extra: ["alg": NSNull(), "use": NSNull()]).filter { !($0.value is NSNull) },
        ])
        let keys = JWK.usableKeys(fromJWKS: Array(try JSONSerialization.data(withJSONObject: ["keys": published.get()])))
        #expect(keys?.map(\.kid) == ["no-alg-no-use"])
        #expect(JWK.usableKeys(fromJWKS: Array("[]".utf8)) == nil)
    }

    @Test func unreachableJWKSIsRetriedAfterABackoff() throws {
        let down = FakeHTTPClient()
        let cache = JWKSCache(http: down, clock: clock.function, failureBackoff: 5)
        #expect(throws: OIDCError(.providerUnreachable)) { try cache.key(kid: "key-1", jwksURI: Self.jwksURL) }
        #expect(throws: OIDCError(.providerUnreachable)) { try cache.key(kid: "key-1", jwksURI: Self.jwksURL) }
        #expect(down.requests.count == 1)
        clock.advance(6)
        down.onJSON("GET", Self.jwksURL.absoluteString) { ["keys": [TestKey.primary.jwk()]] }
        #expect(try cache.key(kid: "key-1", jwksURI: Self.jwksURL).kid == "key-1")
    }
}
