import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// `spaceaudit spaces import DIR [--owner OWNER]` and `spaceaudit spaces import --hub AUTHOR`.
///
/// Each Space is stored on its own (one transaction each): a broken README is reported as
/// `FILE:LINE: what is wrong` and the others go on. Exit 0 when all were imported, 2 when any
/// was not (the good ones are stored). Re-importing keeps the host and callbacks registered
/// with `spaces add`; only the metadata is refreshed.
struct SpacesImport: SpacesSubcommand {
    static let maxPages = 100

    func run(_ arguments: Arguments, _ operands: [String], _ context: CommandContext) throws -> ExitCode {
        let entries: [HubSpaceListing.Entry]
        if let author = arguments.value("hub") {
            if let extra = operands.first { throw UsageError("give either DIR or --hub AUTHOR, not both (unexpected '\(extra)')") }
            guard SpaceID("\(author)/x") != nil else { throw UsageError("invalid --hub author '\(author)'") }
            entries = try hubEntries(author: author, environment: context.environment)
        } else {
            guard operands.count == 1 else {
                throw UsageError(operands.isEmpty ? "missing DIR (or --hub AUTHOR)" : "unexpected argument '\(operands[1])'")
            }
            entries = try folderEntries(operands[0], owner: arguments.value("owner"))
        }
        let store = SpaceStore(pool: try context.database().pool)
        var failed = 0
        var counts: [SpaceStore.SaveResult: Int] = [:]
        for entry in entries {
            switch entry.result {
            case .failure(let error):
                failed += 1
                context.console.err("spaceaudit spaces import: error: \(error.description)\n")
            case .success(let (id, metadata)):
                let existing = try store.get(id)
                let result = try store.save(
                    id: id, host: existing?.host ?? id.defaultHost, callbacks: existing?.callbacks ?? [], metadata: metadata)
                counts[result, default: 0] += 1
                context.console.out("\(result.rawValue) \(id) (\(SpacesAdd.summary(metadata)))\n")
            }
        }
        context.console.out(
            "imported \(entries.count - failed) of \(entries.count) Space(s): \(counts[.added] ?? 0) added, "
                + "\(counts[.updated] ?? 0) updated, \(counts[.unchanged] ?? 0) unchanged, \(failed) failed\n")
        return failed == 0 ? .ok : .usage
    }

    /// Every `DIR/*/README.md`, sorted. The id comes from the clone's git remote
    /// (`…/spaces/owner/name`), else from `--owner` and the folder name.
    func folderEntries(_ directory: String, owner: String?) throws -> [HubSpaceListing.Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UsageError("'\(directory)' is not a folder")
        }
        let base = URL(fileURLWithPath: directory, isDirectory: true)
        let folders = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        return folders.compactMap { folder -> HubSpaceListing.Entry? in
            let readme = base.appendingPathComponent(folder).appendingPathComponent("README.md").path
            guard FileManager.default.fileExists(atPath: readme) else { return nil }
            guard let id = Self.gitRemoteSpaceID(base.appendingPathComponent(folder)) ?? owner.flatMap({ SpaceID("\($0)/\(folder)") })
            else {
                let problem = "\(readme): cannot tell the Space id (no huggingface.co/spaces/owner/name git remote); pass --owner OWNER"
                return HubSpaceListing.Entry(label: folder, result: .failure(ReadmeError(description: problem)))
            }
            do throws(ReadmeError) {
                return HubSpaceListing.Entry(label: folder, result: .success((id, try SpacesAdd.metadata(readmeAt: readme))))
            } catch {
                return HubSpaceListing.Entry(label: folder, result: .failure(error))
            }
        }
    }

    /// `url = https://huggingface.co/spaces/owner/name(.git)` in the clone's `.git/config`.
    static func gitRemoteSpaceID(_ folder: URL) -> SpaceID? {
        guard let config = try? String(contentsOf: folder.appendingPathComponent(".git/config"), encoding: .utf8) else { return nil }
        for line in config.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("url"), let range = text.range(of: "/spaces/") else { continue }
            var path = String(text[range.upperBound...])
            if path.hasSuffix(".git") { path.removeLast(4) }
            while path.hasSuffix("/") { path.removeLast() }
            if let id = SpaceID(path) { return id }
        }
        return nil
    }

    /// All pages of the author's listing. A transport error or a non-200 answer stops the
    /// import before anything is stored (exit 3).
    func hubEntries(author: String, environment: [String: String]) throws -> [HubSpaceListing.Entry] {
        var endpoint = environment["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        guard var components = URLComponents(string: endpoint + "/api/spaces"), let scheme = components.scheme,
            ["http", "https"].contains(scheme), components.host != nil
        else { throw UsageError("invalid HF_ENDPOINT '\(endpoint)': expected an http(s) URL") }
        components.queryItems = [URLQueryItem(name: "author", value: author), URLQueryItem(name: "full", value: "true")]
        var next = components.url
        var entries: [HubSpaceListing.Entry] = []
        let client = URLSessionHTTPClient(maxResponseBytes: 64 << 20)
        var pages = 0
        while let url = next, pages < Self.maxPages {
            pages += 1
            let response: OutboundResponse
            do {
                response = try client.send(OutboundRequest(url: url, headers: ["Accept": "application/json"], timeout: 60))
            } catch {
                throw RuntimeError("cannot reach the Hub at \(endpoint): \(error)")
            }
            guard response.status == 200 else {
                throw RuntimeError("the Hub answered HTTP \(response.status) for the Spaces of '\(author)'")
            }
            entries += try HubSpaceListing(json: response.body).entries
            next = HubSpaceListing.nextPage(linkHeader: response.headers["link"], base: url)
        }
        return entries
    }
}
