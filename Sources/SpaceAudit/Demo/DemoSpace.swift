import AuditCore

/// A sample Space for `spaceaudit demo`: its README, the callbacks it registers, and how its
/// users behave, so the dashboard shows a healthy Space next to misconfigured ones.
struct DemoSpace: Sendable {
    let id: SpaceID
    let readme: String
    let callbacks: [String]
    /// Redirect URIs its sign-ins use, the first most often.
    let redirectURIs: [String]
    let scopesRequested: [String]
    let users: [String]
    /// Mean sign-in attempts per day.
    let attemptsPerDay: Int
    /// Share of attempts that fail, 0…1.
    let failureRate: Double
    /// Failure reasons to draw from.
    let failureReasons: [String]
    let source: LoginEvent.Source

    var host: String { id.defaultHost }

    static let all: [DemoSpace] = [
        DemoSpace(
            id: SpaceID("acme/chat-app")!,
            readme: """
                ---
                title: Acme Chat
                sdk: gradio
                sdk_version: 4.44.0
                hf_oauth: true
                hf_oauth_scopes:
                  - read-repos
                hf_oauth_expiration_minutes: 480
                ---
                A chat app that signs users in with Hugging Face.
                """,
            callbacks: ["https://acme-chat-app.hf.space/login/callback"],
            redirectURIs: ["https://acme-chat-app.hf.space/login/callback"],
            scopesRequested: ["openid", "profile", "read-repos"],
            users: ["alice", "bob", "carol", "dmitri", "erin", "farah", "gus", "hana", "ivan", "jules", "kemal", "lin"],
            attemptsPerDay: 9, failureRate: 0.06,
            failureReasons: ["state_expired", "idp_error:access_denied", "token_exchange_failed"], source: .service),
        DemoSpace(
            id: SpaceID("acme/model-playground")!,
            readme: """
                ---
                title: Model Playground
                sdk: docker
                app_port: 7860
                hf_oauth: true
                hf_oauth_scopes:
                  - inference-api
                  - email
                ---
                Runs inference on behalf of the signed-in user.
                """,
            callbacks: ["https://acme-model-playground.hf.space/login/callback"],
            redirectURIs: [
                "https://acme-model-playground.hf.space/login/callback",
                "https://acme-model-playground.hf.space/login/callback/",
            ],
            scopesRequested: ["openid", "profile", "inference-api", "email"],
            users: ["alice", "bob", "mona", "nils", "oscar", "pia"],
            attemptsPerDay: 5, failureRate: 0.1,
            failureReasons: ["idp_error:access_denied", "id_token_invalid:expired", "state_mismatch"], source: .ingest),
        // The misconfigured one: legacy redirect path, a week-long session, write scope without an
        // org restriction, a localhost and a Hub-page callback, and the provider refusing the URI.
        DemoSpace(
            id: SpaceID("demo-org/notebook-hub")!,
            readme: """
                ---
                title: Notebook Hub
                sdk: gradio
                hf_oauth: true
                hf_oauth_redirect_path: /oauth/done
                hf_oauth_expiration_minutes: 10080
                hf_oauth_scopes: write-repos manage-repos
                ---
                Lets people push notebooks to their own repos.
                """,
            callbacks: ["https://demo-org-notebook-hub.hf.space/login/callback"],
            redirectURIs: [
                "https://demo-org-notebook-hub.hf.space/login/callback",
                "http://localhost:7860/login/callback",
                "https://huggingface.co/spaces/demo-org/notebook-hub/login/callback",
            ],
            scopesRequested: ["openid", "profile", "write-repos", "manage-repos"],
            users: ["quinn", "rosa", "sami", "tomas", "uma"],
            attemptsPerDay: 4, failureRate: 0.35,
            failureReasons: [
                "idp_error:invalid_redirect_uri", "idp_error:invalid_redirect_uri", "state_reused",
                "id_token_invalid:nonce_mismatch", "userinfo_failed",
            ], source: .ingest),
        // Sign-ins recorded, but the README never turned on hf_oauth (R007).
        DemoSpace(
            id: SpaceID("alice/gradio-sketch")!,
            readme: """
                ---
                title: Gradio Sketch
                sdk: gradio
                ---
                A sketch pad. Its OAuth app was set up by hand.
                """,
            callbacks: [],
            redirectURIs: ["https://alice-gradio-sketch.hf.space/login/callback?_target_url=%2F"],
            scopesRequested: ["openid", "profile"],
            users: ["alice", "victor", "wen"],
            attemptsPerDay: 2, failureRate: 0.05,
            failureReasons: ["state_missing"], source: .ingest),
    ]
}
