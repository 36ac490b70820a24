import Foundation

/// A value seen at runtime with how often and when (pre-aggregated by the store).
public struct ObservedValue: Sendable, Equatable, Codable {
    public var value: String
    public var count: Int
    public var firstSeen: Date
    public var lastSeen: Date

    public init(_ value: String, count: Int = 1, firstSeen: Date, lastSeen: Date? = nil) {
        self.value = value
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen ?? firstSeen
    }
}

/// Everything the rules may look at for one Space: its registration (host, callbacks,
/// README metadata) and what the audit log shows. Rules are pure functions of this value.
public struct SpaceContext: Sendable, Equatable {
    public var spaceID: SpaceID
    /// The Space's direct host: `--host`, else `spaceID.defaultHost`.
    public var host: String
    /// Callback URLs registered with `spaces add --callback`.
    public var callbacks: [String]
    /// Nil when no README was registered: metadata rules then stay silent rather than guess.
    public var metadata: SpaceMetadata?
    public var redirectURIs: [ObservedValue]
    /// Provider `error` values from `idp_error:*` failures (e.g. `invalid_redirect_uri`).
    public var providerErrors: [ObservedValue]
    public var scopesRequested: [ObservedValue]
    public var scopesGranted: [ObservedValue]
    public var signInCount: Int
    public var firstSignIn: Date?
    public var lastSignIn: Date?
    public var orgsSeen: [ObservedValue]

    public init(
        spaceID: SpaceID, host: String? = nil, callbacks: [String] = [], metadata: SpaceMetadata? = nil,
        redirectURIs: [ObservedValue] = [], providerErrors: [ObservedValue] = [],
        scopesRequested: [ObservedValue] = [], scopesGranted: [ObservedValue] = [],
        signInCount: Int = 0, firstSignIn: Date? = nil, lastSignIn: Date? = nil, orgsSeen: [ObservedValue] = []
    ) {
        self.spaceID = spaceID
        self.host = (host ?? spaceID.defaultHost).lowercased()
        self.callbacks = callbacks
        self.metadata = metadata
        self.redirectURIs = redirectURIs
        self.providerErrors = providerErrors
        self.scopesRequested = scopesRequested
        self.scopesGranted = scopesGranted
        self.signInCount = signInCount
        self.firstSignIn = firstSignIn
        self.lastSignIn = lastSignIn
        self.orgsSeen = orgsSeen
    }

    /// Running on the Hub: the host is a `*.hf.space` host. Loopback callbacks are then bugs,
    /// whereas on a laptop they are normal development.
    public var deployed: Bool { host.hasSuffix(".hf.space") }

    /// The host every callback must use: the Space's own `*.hf.space` host. When registered
    /// with a custom domain or a local host, it is still the derived default host.
    public var ownHost: String { deployed ? host : spaceID.defaultHost }

    /// Folds raw events into the runtime observations: the in-memory equivalent of the
    /// store's GROUP BY queries (used by `demo` and tests).
    public mutating func observe(_ events: [LoginEvent]) {
        var redirect = Tally()
        var errors = Tally()
        var requested = Tally()
        var granted = Tally()
        var orgs = Tally()
        for e in events where e.spaceID == spaceID {
            if let uri = e.redirectURI, !uri.isEmpty { redirect.add(uri, e.occurredAt) }
            if e.event == .loginFailed, let reason = e.reason.flatMap(FailureReason.init(rawValue:)),
                reason.code == .idpError, let detail = reason.detail
            {
                errors.add(detail, e.occurredAt)
            }
            e.scopesRequested.forEach { requested.add($0, e.occurredAt) }
            e.scopesGranted.forEach { granted.add($0, e.occurredAt) }
            guard e.event == .loginSucceeded else { continue }
            e.orgs.forEach { orgs.add($0, e.occurredAt) }
            signInCount += 1
            firstSignIn = min(firstSignIn ?? e.occurredAt, e.occurredAt)
            lastSignIn = max(lastSignIn ?? e.occurredAt, e.occurredAt)
        }
        redirectURIs = redirect.merged(into: redirectURIs)
        providerErrors = errors.merged(into: providerErrors)
        scopesRequested = requested.merged(into: scopesRequested)
        scopesGranted = granted.merged(into: scopesGranted)
        orgsSeen = orgs.merged(into: orgsSeen)
    }
}

/// Counting helper for `observe`; keeps first-seen order so results are deterministic.
private struct Tally {
    private var order: [String] = []
    private var values: [String: ObservedValue] = [:]

    mutating func add(_ value: String, _ at: Date) {
        if var v = values[value] {
            v.count += 1
            v.firstSeen = min(v.firstSeen, at)
            v.lastSeen = max(v.lastSeen, at)
            values[value] = v
        } else {
            order.append(value)
            values[value] = ObservedValue(value, firstSeen: at)
        }
    }

    func merged(into existing: [ObservedValue]) -> [ObservedValue] {
        var t = self
        for v in existing {
            if var cur = t.values[v.value] {
                cur.count += v.count
                cur.firstSeen = min(cur.firstSeen, v.firstSeen)
                cur.lastSeen = max(cur.lastSeen, v.lastSeen)
                t.values[v.value] = cur
            } else {
                t.order.append(v.value)
                t.values[v.value] = v
            }
        }
        return t.order.compactMap { t.values[$0] }
    }
}
