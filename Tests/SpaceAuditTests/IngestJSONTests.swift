import Foundation
import Testing

@testable import SpaceAudit

/// StrictJSONParser: what JSONSerialization would accept but an audit log must not.
@Suite struct IngestJSONTests {
    let parser = StrictJSONParser(maxBytes: 1024)

    func parse(_ text: String) throws(StrictJSONError) -> StrictJSON { try parser.parse(Array(text.utf8)) }

    @Test func parsesOrdinaryJSON() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#)
        #expect(
            value
                == .object([
                    ("a", .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("xé😀\n")])), ("b", .object([])),
                ]))
    }

    @Test func duplicateKeysAreRefusedAtAnyDepth() {
        for text in [#"{"a": 1, "a": 2}"#, #"{"x": [{"k": 1, "k": 1}]}"#, #"{"e": 1, "\u0065": 2}"#] {
            #expect(throws: StrictJSONError.self, "\(text)") { try parse(text) }
        }
        let error = #expect(throws: StrictJSONError.self) { try parse(#"{"events": [{"event": 1, "event": 2}]}"#) }
        #expect(error?.message.contains("duplicate key \"event\" in $.events[0]") == true)
    }

    @Test func invalidUTF8AndBOMAreRefused() {
        for bytes: [UInt8] in [
            [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D], [0xFF, 0xFE], [0x22, 0xED, 0xA0, 0x80, 0x22], [0xEF, 0xBB, 0xBF, 0x7B, 0x7D],
        ] {
            #expect(throws: StrictJSONError.self, "\(bytes)") { try parser.parse(bytes) }
        }
    }

    @Test func malformedInputIsRefused() {
        let cases = [
            "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "NaN", "Infinity", "'a'", "{a:1}", "\"a\nb\"", "\"\\x\"",
            "\"\\ud800\"", "\"\\udc00x\"", "[] []", "{} x", "1e999", "tru", "nul", "\"abc",
        ]
        for text in cases {
            #expect(throws: StrictJSONError.self, "\(text.debugDescription)") { try parse(text) }
        }
    }

    @Test func sizeAndDepthAreCapped() {
        let small = StrictJSONParser(maxBytes: 10, maxDepth: 3)
        #expect(throws: StrictJSONError.self) { try small.parse(Array("[1,2,3,4,5,6]".utf8)) }
        #expect(throws: StrictJSONError.self) { try small.parse(Array("[[[[1]]]]".utf8)) }
        #expect((try? small.parse(Array("[[[1]]]".utf8))) != nil)
    }

    @Test func errorMessagesDoNotQuoteTheInput() {
        let error = #expect(throws: StrictJSONError.self) { try parse(#"{"secret-value-123": oops}"#) }
        #expect(error?.message.contains("secret-value-123") == false)
    }
}
