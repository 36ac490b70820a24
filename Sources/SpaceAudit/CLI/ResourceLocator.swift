import AuditPostgres
import Foundation

/// Finds the `sql/` and `web/` folders that ship beside the binary.
///
/// Looked up in order: `SPACEAUDIT_HOME`, the working directory, then upwards from the
/// executable (a `.build/<triple>/debug/spaceaudit` finds the checkout it was built in),
/// then `/usr/share/spaceaudit` (the Docker image).
enum ResourceLocator {
    static func folder(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["SPACEAUDIT_HOME"] {
            candidates.append(URL(fileURLWithPath: home))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/spaceaudit"))
        for base in candidates {
            let folder = base.appendingPathComponent(name, isDirectory: true)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return folder
            }
        }
        throw RuntimeError(
            "cannot find the '\(name)/' folder that ships with spaceaudit; set SPACEAUDIT_HOME to the folder that contains it")
    }

    /// The migrations in `sql/`, parsed and checked by name.
    static func migrations() throws -> [Migration] {
        let folder = try folder("sql")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { name in
            let contents = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            return try Migration.parse(fileName: name, contents: contents)
        }
    }
}
