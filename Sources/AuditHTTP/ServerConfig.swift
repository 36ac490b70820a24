/// Everything the server needs to know before it starts. Plain data with safe defaults;
/// the executable fills it from the environment.
public struct ServerConfig: Sendable {
    /// IPv4 address to bind (`127.0.0.1`, `0.0.0.0`).
    public var bindAddress: String = "127.0.0.1"
    /// 0 asks the OS for an ephemeral port; read `HTTPServer.port` after `start()`.
    public var port: UInt16 = 0

    /// Longest request target (path + query) accepted; longer → 414.
    public var maxURILength: Int = 8 * 1024
    /// Total header bytes (`name: value\r\n` summed); more → 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields; more → 431.
    public var maxHeaderCount: Int = 100
    /// Largest request body, enforced while reading it; larger → 413. Routes may lower it.
    public var maxBodyBytes: Int = 1024 * 1024

    /// Idle seconds before MHD drops a connection (MHD_OPTION_CONNECTION_TIMEOUT).
    public var connectionTimeoutSeconds: UInt32 = 30
    /// Concurrent connections (each one is a thread; MHD_OPTION_CONNECTION_LIMIT).
    public var connectionLimit: UInt32 = 512

    /// Extra `form-action` sources for the default CSP (e.g. an OpenID provider origin).
    public var formActionSources: [String] = []
    /// Overrides the whole Content-Security-Policy when set.
    public var contentSecurityPolicyOverride: String?

    public init() {}

    /// The CSP sent on every response. `frame-ancestors` (not X-Frame-Options) because
    /// Hugging Face embeds Spaces in an iframe from https://huggingface.co.
    public var contentSecurityPolicy: String {
        if let contentSecurityPolicyOverride { return contentSecurityPolicyOverride }
        let formAction = (["'self'"] + formActionSources).joined(separator: " ")
        return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "frame-ancestors 'self' https://huggingface.co; base-uri 'none'; form-action \(formAction)"
    }

    /// Per-connection memory pool for MHD. Sized above our own URI + header limits so our
    /// exact 414/431 checks see the request first; beyond it MHD answers by itself (also
    /// with 414/431, verified in LimitTests).
    var connectionMemoryLimit: Int {
        max(64 * 1024, maxURILength + maxHeaderBytes + 32 * 1024)
    }
}
