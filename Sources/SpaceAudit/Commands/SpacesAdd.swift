import AuditCore
import AuditPostgres
import Foundation

/// `spaceaudit spaces add ID --readme FILE [--host HOST] [--callback URL]...`
///
/// Everything is checked before anything is stored: a bad id, host, callback or README is
/// reported (README errors as `FILE:LINE: what is wrong`) with exit 2 and the registry is
/// left as it was. Storing is one transaction (SpaceStore.save).
struct SpacesAdd: SpacesSubcommand {
    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        guard operands.count == 1 else {
            throw UsageError(operands.isEmpty ? "missing Space id (owner/name)" : "unexpected argument '\(operands[1])'")
        }
        let id = try Self.spaceID(operands[0])
        guard let readme = arguments.value("readme") else { throw UsageError("missing --readme FILE") }
        let host = try Self.host(arguments.value("host"), default: id)
        let callbacks = try arguments.all("callback").map(Self.callback)
        let metadata: SpaceMetadata
        do {
            metadata = try Self.metadata(readmeAt: readme)
        } catch {
            context.console.err("spaceaudit spaces add: error: \(error.description)\n")
            return .usage
        }
        let result = try SpaceStore(pool: context.database().pool).save(id: id, host: host, callbacks: callbacks, metadata: metadata)
        context.console.out("\(result.rawValue) \(id) (host \(host), \(callbacks.count) callback(s), \(Self.summary(metadata)))\n")
        return .ok
    }

    static func spaceID(_ text: String) throws(UsageError) -> SpaceID {
        guard let id = SpaceID(text) else {
            throw UsageError("invalid Space id '\(text)': expected owner/name (letters, digits, '-', '_', '.')")
        }
        return id
    }

    /// `--host` as given (lowercased), else the host the Hub derives from the id.
    static func host(_ given: String?, default id: SpaceID) throws(UsageError) -> String {
        guard let given else { return id.defaultHost }
        let host = given.lowercased()
        let allowed = host.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-.:[]".unicodeScalars.contains($0))
        }
        guard !host.isEmpty, allowed else {
            throw UsageError("invalid --host '\(given)': give a host name such as owner-name.hf.space, without scheme or path")
        }
        return host
    }

    /// A callback must be an absolute http(s) URL with a host; whether it is a *good* one is
    /// for the rules (R001, R002, R005) to say, so an http or foreign callback is accepted.
    static func callback(_ text: String) throws(UsageError) -> String {
        let uri = RedirectURI(text)
        guard ["http", "https"].contains(uri.scheme), !uri.host.isEmpty, !text.contains(where: \.isWhitespace) else {
            throw UsageError(
                "invalid --callback '\(text)': expected an absolute http(s) URL such as https://owner-name.hf.space/login/callback")
        }
        return text
    }

    /// Reads and parses a README's front matter. Errors name the file and the line.
    static func metadata(readmeAt path: String) throws(ReadmeError) -> SpaceMetadata {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ReadmeError(description: "\(path): \(exists ? "cannot be read" : "no such file")")
        }
        do {
            return try SpaceMetadata(frontMatter: FrontMatter.parse(readme: Array(data)))
        } catch {
            throw ReadmeError(description: "\(path):\(error.line): \(error.message)")
        }
    }

    /// One line about what the README declares, for the confirmation message.
    static func summary(_ metadata: SpaceMetadata) -> String {
        guard metadata.hfOAuth else { return "hf_oauth not set" }
        let scopes = metadata.scopes.isEmpty ? "default scopes" : "scopes " + metadata.scopes.joined(separator: " ")
        return "hf_oauth: true, \(scopes)"
    }
}

/// A README that could not be read or parsed: `FILE:LINE: what is wrong`.
struct ReadmeError: Error, CustomStringConvertible {
    let description: String
}
