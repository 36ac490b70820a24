import Foundation

/// Runs tests/provider/misbehaving_provider.py for the duration of a test (real HTTP, real sockets).
final class ProviderProcess {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/provider/misbehaving_provider.py")

    /// Python 3 with `cryptography` must be importable, or the integration test is skipped.
    static let available: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import cryptography"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 && FileManager.default.fileExists(atPath: script.path)
    }()

    let process = Process()
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(arguments: [String] = []) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--port", "0"] + arguments
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard text.hasPrefix("ready "), let port = Int(text.dropFirst(6).prefix { $0.isNumber }) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    deinit {
        // SIGKILL, not terminate(): a child spawned from a dispatch thread may start with SIGTERM
        // blocked (the provider unblocks it, but a hung interpreter must not hang the test run).
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
