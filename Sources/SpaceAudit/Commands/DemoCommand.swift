import AuditCore
import AuditOIDC
import AuditPostgres
import Foundation

/// `spaceaudit demo`: embedded database, sample Spaces and events, a local OpenID provider, then serve
struct DemoCommand: Command {
    let name = "demo"
    let summary = "embedded database, sample Spaces and events, a local OpenID provider, then serve"
    let options: [OptionSpec] = [.single("port"), .single("provider-port")]
    let help = """
        Usage: spaceaudit demo [--port N] [--provider-port N]

        Starts the embedded PostgreSQL (or uses DATABASE_URL when set), loads four sample Spaces —
        one healthy, one with scope drift, one badly misconfigured, one without hf_oauth — with 45
        days of sign-in history, starts a local OpenID provider on 127.0.0.1 that approves every
        sign-in as `demo-admin`, and serves the dashboard. Open the printed URL and sign in.

        The history is written once per database: running demo again keeps it (and its hash
        chains) and only refreshes the sample READMEs. OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
        OPENID_PROVIDER_URL and SPACEAUDIT_ADMINS are set by the demo and override your own.

        Options:
          --port N            dashboard port (PORT)          default 7860
          --provider-port N   local OpenID provider port     default: any free port

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        var environment = context.environment
        environment["PORT"] = arguments.value("port") ?? environment["PORT"] ?? "7860"
        let providerPort = try Self.port(arguments.value("provider-port") ?? "0", option: "--provider-port")
        _ = try Self.port(environment["PORT"]!, option: "--port")
        // The provider must know our callback before it starts; the callback does not depend on
        // the provider, so a first parse with a placeholder issuer gives it.
        environment["OPENID_PROVIDER_URL"] = "http://127.0.0.1"
        environment["OAUTH_CLIENT_ID"] = "spaceaudit-demo"
        environment["OAUTH_CLIENT_SECRET"] = Crypto.base64URLEncode(try Crypto.secureRandomBytes(count: 24))
        environment["SPACEAUDIT_ADMINS"] = DemoProvider.user.username
        let callback = try Config.parse(environment: environment).callbackURL

        let database = try context.database()
        let store = EventStore(pool: database.pool, hash: { Crypto.sha256($0) })
        let summary = try DemoSeeder(pool: database.pool, store: store, now: Date()).seed()
        context.console.err(
            summary.eventsWritten > 0
                ? "demo: loaded \(summary.spaces) sample Spaces and \(summary.eventsWritten) events\n"
                : "demo: sample Spaces refreshed; their history was loaded before and is kept\n")

        let provider = try DemoProvider(
            client: .init(id: environment["OAUTH_CLIENT_ID"]!, secret: environment["OAUTH_CLIENT_SECRET"]!, redirectURI: callback),
            port: providerPort)
        try provider.start()
        SignalTrap.shared.onTerminate { provider.stop() }
        environment["OPENID_PROVIDER_URL"] = provider.issuer
        let config = try Config.parse(environment: environment)
        let service = try Service(config: config, database: database, webRoot: try ResourceLocator.folder("web"), console: context.console)
        try service.start()
        SignalTrap.shared.onTerminate { service.stop() }
        context.console.err(
            """
            demo: OpenID provider on \(provider.issuer) (every sign-in is '\(DemoProvider.user.username)')
            demo: open \(config.publicURL)/ and sign in (database: \(database.description)); Ctrl-C stops it

            """)
        while true { sleep(3600) }
    }

    private static func port(_ text: String, option: String) throws -> UInt16 {
        guard let port = UInt16(text) else { throw UsageError("\(option) must be a port number from 0 to 65535") }
        return port
    }
}
