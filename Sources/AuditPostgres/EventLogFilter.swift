import AuditCore
import Foundation

/// What the dashboard's event log may be narrowed to; nil means "any".
/// `since` is inclusive and `until` exclusive, so consecutive windows never count a row twice.
public struct EventLogFilter: Sendable, Equatable {
    public var event: LoginEvent.Kind?
    public var outcome: LoginEvent.Outcome?
    /// A username (case-insensitive) or an exact user `sub`.
    public var user: String?
    public var since: Date?
    public var until: Date?

    public init(
        event: LoginEvent.Kind? = nil, outcome: LoginEvent.Outcome? = nil, user: String? = nil, since: Date? = nil,
        until: Date? = nil
    ) {
        self.event = event
        self.outcome = outcome
        self.user = user
        self.since = since
        self.until = until
    }
}
