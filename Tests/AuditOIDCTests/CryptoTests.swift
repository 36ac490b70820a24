import AuditOIDC
import Foundation
import Testing

@Suite struct CryptoTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha256KnownAnswer() {
        #expect(hex(Crypto.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Crypto.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hmacRFC4231Case2() {
        let mac = Crypto.hmacSHA256(key: Array("Jefe".utf8), data: "what do ya want for nothing?")
        #expect(hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Crypto.hmacSHA256(key: [], data: "x").count == 32)
    }

    @Test func randomBytesAreFreshAndSized() throws {
        let a = try Crypto.secureRandomBytes(count: 32)
        let b = try Crypto.secureRandomBytes(count: 32)
        #expect(a.count == 32 && a != b)
        #expect(try Crypto.secureRandomBytes(count: 0).isEmpty)
    }

    @Test func constantTimeEquals() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Crypto.constantTimeEquals([], []))
    }

    @Test func base64URLMatchesFoundationWithoutPadding() throws {
        for length in 0..<40 {
            let bytes = try Crypto.secureRandomBytes(count: length)
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let encoded = Crypto.base64URLEncode(bytes)
            #expect(encoded == expected)
            #expect(Crypto.base64URLDecode(encoded) == bytes)
        }
        #expect(Crypto.base64URLEncode(Array("hello?>".utf8)) == "aGVsbG8_Pg")
    }

    @Test(arguments: ["QQ==", "a+b/", "QQ=", "Q", "QR", "a b", "aGVsbG8/Pg", "é"])
    func base64URLDecodeIsStrict(_ input: String) {
        #expect(Crypto.base64URLDecode(input) == nil)
    }

    @Test func verifyRS256() {
        let key = TestKey.primary
        let message = Array("header.payload".utf8)
        let signature = key.signRS256(message)
        #expect(Crypto.verifyRS256(signingInput: message, signature: signature, modulus: key.modulus, exponent: key.exponent))
        #expect(!Crypto.verifyRS256(signingInput: message + [0], signature: signature, modulus: key.modulus, exponent: key.exponent))
        var flipped = signature
        flipped[10] ^= 1
        #expect(!Crypto.verifyRS256(signingInput: message, signature: flipped, modulus: key.modulus, exponent: key.exponent))
        let other = TestKey.rotated
        #expect(!Crypto.verifyRS256(signingInput: message, signature: signature, modulus: other.modulus, exponent: other.exponent))
        #expect(!Crypto.verifyRS256(signingInput: message, signature: [], modulus: key.modulus, exponent: key.exponent))
        #expect(!Crypto.verifyRS256(signingInput: message, signature: signature, modulus: [], exponent: key.exponent))
    }

    @Test func verifyRS256RefusesKeysUnder2048Bits() {
        let weak = TestKey.weak
        let message = Array("m".utf8)
        #expect(
            !Crypto.verifyRS256(signingInput: message, signature: weak.signRS256(message), modulus: weak.modulus, exponent: weak.exponent))
    }
}
