import Foundation

@testable import AuditCore

/// Fixtures are read relative to this file (#filePath) so the test target needs no
/// resources declaration in Package.swift.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func frontMatter(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("frontmatter/\(name)"), encoding: .utf8)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: directory.appendingPathComponent("frontmatter/\(name)")))
    }

    /// A fixed "now" so every date in the tests is hand-computable: 2026-08-22T12:00:00Z.
    static let now = RFC3339.parse("2026-08-22T12:00:00Z")!
    static func ago(days: Double, hours: Double = 0) -> Date { now.addingTimeInterval(-(days * 86_400 + hours * 3600)) }

    static let space = SpaceID("acme/admin-console")!
    static let other = SpaceID("acme/Other_App.v2")!
}
