import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where commands write. Output goes to stdout, diagnostics and progress to stderr.
struct Console: Sendable {
    func out(_ text: String) { write(text, to: FileHandle.standardOutput) }
    func outBytes(_ bytes: [UInt8]) { FileHandle.standardOutput.write(Data(bytes)) }
    func err(_ text: String) { write(text, to: FileHandle.standardError) }

    /// True when stdout is a terminal: colours and aligned tables are for people, not pipes.
    var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}
