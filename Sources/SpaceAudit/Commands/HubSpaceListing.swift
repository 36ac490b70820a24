import AuditCore
import Foundation

/// One page of the Hub's public Spaces listing, `GET {HF_ENDPOINT}/api/spaces?author=A&full=true`:
/// a JSON array of objects with `id` ("owner/name") and, with `full=true`, `cardData` (the
/// README front matter as JSON) and `sdk`. Further pages are announced in a
/// `Link: <url>; rel="next"` header.
struct HubSpaceListing {
    /// A Space of the listing, or why it cannot be used (the import goes on with the others).
    struct Entry {
        let label: String
        let result: Result<(SpaceID, SpaceMetadata), ReadmeError>
    }

    let entries: [Entry]

    /// Throws for a body that is not a JSON array at all (the whole page is unusable).
    init(json body: [UInt8]) throws {
        guard let items = try? JSONSerialization.jsonObject(with: Data(body)) as? [Any] else {
            throw RuntimeError("the Hub listing is not a JSON array of Spaces")
        }
        entries = items.enumerated().map { index, item in Self.entry(item, index: index) }
    }

    static func entry(_ item: Any, index: Int) -> Entry {
        guard let object = item as? [String: Any], let text = object["id"] as? String else {
            return Entry(label: "item \(index)", result: .failure(ReadmeError(description: "Hub listing item \(index): no \"id\"")))
        }
        guard let id = SpaceID(text) else {
            return Entry(label: text, result: .failure(ReadmeError(description: "Hub Space '\(text)': not an owner/name id")))
        }
        do {
            return Entry(label: text, result: .success((id, try metadata(cardData: object["cardData"], sdk: object["sdk"] as? String))))
        } catch let error as ReadmeError {
            return Entry(label: text, result: .failure(ReadmeError(description: "Hub Space \(id): \(error.description)")))
        } catch {
            return Entry(label: text, result: .failure(ReadmeError(description: "Hub Space \(id): \(error)")))
        }
    }

    /// `cardData` is the front matter as JSON. JSON is YAML flow syntax, so it goes through
    /// the same FrontMatter parser and typed reads as a README: a `"480"` string is rejected
    /// the same way in both.
    static func metadata(cardData: Any?, sdk: String?) throws -> SpaceMetadata {
        guard let cardData, !(cardData is NSNull) else {
            var metadata = SpaceMetadata()
            metadata.sdk = sdk
            return metadata
        }
        guard cardData is [String: Any] else { throw ReadmeError(description: "cardData is not an object") }
        let json = try JSONSerialization.data(withJSONObject: cardData, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        let readme = "---\n" + String(decoding: json, as: UTF8.self) + "\n---\n"
        do {
            var metadata = try SpaceMetadata(readme: readme)
            metadata.sdk = metadata.sdk ?? sdk
            metadata.keyLines = [:]  // lines of our JSON rendering, not of the Space's README
            return metadata
        } catch {
            throw ReadmeError(description: "cardData: \(error.message)")
        }
    }

    /// The `rel="next"` target of a Link header, resolved against `base`, only when it stays
    /// on the same scheme, host and port (a listing cannot send the importer elsewhere).
    static func nextPage(linkHeader: String?, base: URL) -> URL? {
        guard let linkHeader else { return nil }
        for part in linkHeader.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
                pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" }),
                let url = URL(string: String(target.dropFirst().dropLast()), relativeTo: base)?.absoluteURL
            else { continue }
            guard url.scheme == base.scheme, url.host == base.host, url.port == base.port else { return nil }
            return url
        }
        return nil
    }
}
