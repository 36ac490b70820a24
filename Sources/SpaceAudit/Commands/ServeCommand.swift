import AuditCore
import Foundation

/// `spaceaudit serve`: the HTTP server (sign-in, dashboard, JSON API, ingest API, CSV export).
struct ServeCommand: Command {
    let name = "serve"
    let summary = "HTTP server: sign-in, dashboard, JSON API, ingest API, CSV export"
    let options: [OptionSpec] = [.single("port"), .single("bind"), .single("public-url")]
    let help = """
        Usage: spaceaudit serve [--port N] [--bind ADDRESS] [--public-url URL]

        Serves the dashboard (web/), the JSON API under /api/v1/, the ingest API, /healthz, /readyz
        and /metrics. Migrates the database on start. Stops cleanly on Ctrl-C or SIGTERM (and stops
        the embedded PostgreSQL it started).

        Options (each overrides the variable of the same meaning):
          --port N            PORT                    default 7860
          --bind ADDRESS      SPACEAUDIT_BIND         default 0.0.0.0 in a Space, else 127.0.0.1
          --public-url URL    SPACEAUDIT_PUBLIC_URL   default http://127.0.0.1:$PORT (https://$SPACE_HOST in a Space)

        Sign-in: OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET (set by HF with hf_oauth: true); without them
        sign-in is disabled and the dashboard says how to enable it. Also OAUTH_SCOPES,
        OPENID_PROVIDER_URL, SPACE_ID, SPACE_HOST, SPACEAUDIT_ADMINS, SPACEAUDIT_ADMIN_ORGS,
        SPACEAUDIT_SESSION_HOURS. See README.md.

        """

    func run(_ arguments: Arguments, _ context: CommandContext) throws -> ExitCode {
        _ = try arguments.positionals()
        var environment = context.environment
        environment["PORT"] = arguments.value("port") ?? environment["PORT"]
        environment["SPACEAUDIT_BIND"] = arguments.value("bind") ?? environment["SPACEAUDIT_BIND"]
        environment["SPACEAUDIT_PUBLIC_URL"] = arguments.value("public-url") ?? environment["SPACEAUDIT_PUBLIC_URL"]
        // Every configuration error at once, before anything starts.
        let config = try Config.parse(environment: environment)
        let database = try context.database()
        let service = try Service(config: config, database: database, webRoot: try ResourceLocator.folder("web"), console: context.console)
        try service.start()
        SignalTrap.shared.onTerminate { service.stop() }
        context.console.err("spaceaudit: serving on http://\(config.bindAddress):\(service.port) (database: \(database.description))\n")
        // The server runs on its own threads; this thread waits until a signal ends the process.
        while true { sleep(3600) }
    }
}
