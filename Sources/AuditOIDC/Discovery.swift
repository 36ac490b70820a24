import Foundation
import Synchronization

/// Fetches `{issuer}/.well-known/openid-configuration` when first needed and keeps it.
///
/// A failure is not cached for good: an unreachable provider must not stop the service from
/// starting, and sign-in recovers by itself once the provider answers. After a failure, calls
/// within `failureBackoff` fail fast instead of each waiting for a full timeout.
public final class Discovery: Sendable {
    public let issuer: String
    private let http: any HTTPClient
    private let clock: @Sendable () -> Date
    private let failureBackoff: TimeInterval
    private let timeout: TimeInterval
    private let state = Mutex<(metadata: ProviderMetadata?, lastFailure: (at: Date, error: OIDCError)?)>((nil, nil))

    public init(
        issuer: String, http: any HTTPClient, clock: @escaping @Sendable () -> Date = { Date() },
        failureBackoff: TimeInterval = 5, timeout: TimeInterval = 10
    ) {
        self.issuer = issuer
        self.http = http
        self.clock = clock
        self.failureBackoff = failureBackoff
        self.timeout = timeout
    }

    /// Issuers are compared as exact strings after removing ONE trailing slash from each side:
    /// `https://huggingface.co` and `https://huggingface.co/` are the same issuer, but no other
    /// normalisation (case, default port, path) is applied, as OpenID Discovery §4.3 requires.
    public static func sameIssuer(_ a: String, _ b: String) -> Bool {
        trimmingOneSlash(a) == trimmingOneSlash(b)
    }

    static func trimmingOneSlash(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }

    public var documentURL: URL? {
        URL(string: Self.trimmingOneSlash(issuer) + "/.well-known/openid-configuration")
    }

    public func metadata() throws(OIDCError) -> ProviderMetadata {
        let now = clock()
        let cached = state.withLock { state -> Result<ProviderMetadata, OIDCError>? in
            if let metadata = state.metadata { return .success(metadata) }
            if let failure = state.lastFailure, now.timeIntervalSince(failure.at) < failureBackoff {
                return .failure(failure.error)
            }
            return nil
        }
        if let cached { return try cached.get() }
        // Fetched outside the lock: two first callers may both fetch, which is harmless.
        do throws(OIDCError) {
            let metadata = try fetch()
            state.withLock { $0 = (metadata, nil) }
            return metadata
        } catch {
            state.withLock { $0.lastFailure = (now, error) }
            throw error
        }
    }

    private func fetch() throws(OIDCError) -> ProviderMetadata {
        guard let url = documentURL else {
            throw OIDCError(.providerUnreachable, subReason: "discovery_invalid", detail: "issuer is not a URL")
        }
        let response: OutboundResponse
        do {
            response = try http.send(
                OutboundRequest(url: url, headers: ["Accept": "application/json"], timeout: timeout, followRedirects: true))
        } catch {
            throw OIDCError(.providerUnreachable, detail: "discovery: \(error)")
        }
        guard response.isSuccess else {
            throw OIDCError(.providerUnreachable, detail: "discovery answered HTTP \(response.status)")
        }
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: Data(response.body))
        } catch {
            throw OIDCError(
                .providerUnreachable, subReason: "discovery_invalid",
                detail: "discovery document is not JSON or lacks an endpoint: \(error)")
        }
        guard Self.sameIssuer(metadata.issuer, issuer) else {
            throw OIDCError(
                .providerUnreachable, subReason: "discovery_issuer_mismatch",
                detail: "discovery issuer \(metadata.issuer.debugDescription) is not the configured \(issuer.debugDescription)")
        }
        // Endpoints must be absolute and https, unless the configured issuer is itself plain http
        // (a local test provider): a https issuer must never send codes or secrets over http.
        let allowHTTP = issuer.lowercased().hasPrefix("http://")
        for (name, endpoint) in metadata.endpoints {
            let scheme = endpoint.scheme?.lowercased()
            guard endpoint.host?.isEmpty == false, scheme == "https" || (allowHTTP && scheme == "http") else {
                throw OIDCError(
                    .providerUnreachable, subReason: "discovery_invalid", detail: "\(name) is not an absolute https URL")
            }
        }
        return metadata
    }
}
