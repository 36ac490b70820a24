import Foundation
import Testing

@testable import AuditCore

@Suite("Hash-chain canonical form")
struct HashChainTests {
    static let base = AuditCSVTests.event()

    @Test func deterministicAndVersioned() {
        let a = HashChain.canonicalEncoding(of: Self.base, prevHash: [1, 2, 3])
        #expect(a == HashChain.canonicalEncoding(of: Self.base, prevHash: [1, 2, 3]))
        #expect(Array(a.prefix(4)) == Array("SAC1".utf8))
        #expect(Array(a[4..<11]) == [0, 0, 0, 3, 1, 2, 3])
        #expect(Array(a[11..<15]) == [0, 0, 0, 36])  // event_id length
    }

    @Test func excludesHashAndReceivedAt() {
        var e = Self.base
        e.hash = "ffff"
        e.receivedAt = e.occurredAt.addingTimeInterval(999)
        #expect(HashChain.canonicalEncoding(of: e, prevHash: nil) == HashChain.canonicalEncoding(of: Self.base, prevHash: nil))
    }

    /// Every stored field except hash/received_at changes the bytes, and shifting text
    /// between neighbouring fields or list items cannot produce the same encoding.
    @Test(arguments: 0..<19)
    func everyFieldMatters(index: Int) {
        var e = Self.base
        switch index {
        case 0: e.eventID += "x"
        case 1: e.spaceID = Fixture.other
        case 2: e.seq += 1
        case 3: e.occurredAt = e.occurredAt.addingTimeInterval(0.000001)
        case 4: e.event = .logout
        case 5: e.outcome = nil
        case 6: e.reason = ""
        case 7: e.userSub = nil
        case 8: e.username = "adb"
        case 9: e.orgs = ["my-company club"]
        case 10: e.scopesRequested = ["openid"]
        case 11: e.scopesGranted = ["openid", "profile", ""]
        case 12: e.redirectURI = nil
        case 13: e.clientID = "cid2"
        case 14: e.clientIP = nil
        case 15: e.userAgent = ""
        case 16: e.source = .ingest
        case 17: e.idempotencyKey = nil
        default: e.orgs = ["my-companyclub"]
        }
        #expect(HashChain.canonicalEncoding(of: e, prevHash: nil) != HashChain.canonicalEncoding(of: Self.base, prevHash: nil))
    }

    @Test func prevHashMattersAndNilEqualsEmpty() {
        let e = Self.base
        #expect(HashChain.canonicalEncoding(of: e, prevHash: [0]) != HashChain.canonicalEncoding(of: e, prevHash: nil))
        #expect(HashChain.canonicalEncoding(of: e, prevHash: []) == HashChain.canonicalEncoding(of: e, prevHash: nil))
    }

    @Test func hexRoundTrip() {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff]
        #expect(HashChain.hex(bytes) == "0001abff")
        #expect(HashChain.bytes(hex: "0001ABff") == bytes)
        #expect(HashChain.bytes(hex: "abc") == nil && HashChain.bytes(hex: "zz") == nil)
    }
}
