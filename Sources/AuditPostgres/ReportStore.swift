import AuditCore
import Foundation

/// Reads what `spaceaudit report` needs from the rollups of sql/0004 (maintained on write by
/// a trigger on login_events), never by scanning the log: whole UTC days come from the
/// rollups, and only the partial day(s) at the edges of the window come from login_events,
/// through its (space_id, occurred_at) index. See docs/storage.md "Report rollups".
///
/// Semantics match AuditCore's reference `ReportRows.from(events:until:)` and
/// `SpaceContext.observe`: users and grants are "ever, up to `until`"; the runtime
/// observations behind the findings are those of the window `[since, until]`.
public struct ReportStore: Sendable {
    private let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Spaces a report can cover: the registered ones and any with recorded events.
    public func knownSpaceIDs() throws -> [SpaceID] { try KnownSpaces.all(pool) }

    /// Users, daily counts and scope grants of `spaces` as of `until`; daily rows from
    /// `since`'s UTC day on. `until`'s day comes from space_daily_stats for a "settled" Space
    /// (no event after `until` on that day, see `observe`), else from the day's raw events.
    public func rows(spaces: [SpaceID], since: Date, until: Date) throws -> ReportRows {
        let ids = spaces.map(\.description)
        let untilDayStart = RFC3339.startOfDay(until)
        let untilDayEnd = untilDayStart.addingTimeInterval(86_400)
        let sinceDayStart = RFC3339.startOfDay(since)
        var spaceIDs = SpaceIDColumn()
        return try withoutJIT { connection in
            let users = try connection.query(
                """
                SELECT u.space_id, u.user_sub, u.username, u.first_success_at, u.successes,
                       CASE WHEN u.last_success_at <= \(until) THEN u.last_success_at ELSE greatest(
                         (SELECT max(d.last_success_at) FROM space_user_days d
                           WHERE d.space_id = u.space_id AND d.user_sub = u.user_sub
                             AND d.day < (\(untilDayStart) AT TIME ZONE 'UTC')::date),
                         (SELECT max(e.occurred_at) FROM login_events e
                           WHERE e.space_id = u.space_id AND e.user_sub = u.user_sub AND e.event = 'login_succeeded'
                             AND e.occurred_at >= \(untilDayStart) AND e.occurred_at <= \(until)))
                       END AS last_success_at
                  FROM space_users u
                 WHERE u.space_id = ANY(\(ids)) AND u.first_success_at <= \(until)
                """
            ).map { row in
                UserActivityRow(
                    spaceID: try spaceIDs.value(row), userSub: try row.string("user_sub"), username: try row.optionalString("username"),
                    firstSuccessAt: try row.date("first_success_at"), lastSuccessAt: try row.date("last_success_at"),
                    successes: try row.int("successes"))
            }
            let daily = try connection.query(
                """
                WITH settled AS (
                    SELECT id AS space_id FROM unnest(\(ids)) AS id
                     WHERE NOT EXISTS (SELECT 1 FROM login_events e
                                        WHERE e.space_id = id AND e.occurred_at > \(until) AND e.occurred_at < \(untilDayEnd))
                )
                SELECT space_id, day, successes, failures, distinct_users FROM space_daily_stats
                 WHERE space_id = ANY(\(ids)) AND day >= (\(sinceDayStart) AT TIME ZONE 'UTC')::date
                   AND (day < (\(untilDayStart) AT TIME ZONE 'UTC')::date
                        OR (day = (\(untilDayStart) AT TIME ZONE 'UTC')::date AND space_id IN (SELECT space_id FROM settled)))
                UNION ALL
                SELECT space_id, (\(untilDayStart) AT TIME ZONE 'UTC')::date AS day,
                       count(*) FILTER (WHERE event = 'login_succeeded' AND user_sub IS NOT NULL) AS successes,
                       count(*) FILTER (WHERE event = 'login_failed') AS failures,
                       count(DISTINCT user_sub) FILTER (WHERE event = 'login_succeeded') AS distinct_users
                  FROM login_events
                 WHERE space_id = ANY(\(ids)) AND space_id NOT IN (SELECT space_id FROM settled)
                   AND occurred_at >= \(untilDayStart) AND occurred_at <= \(until)
                   AND event IN ('login_succeeded', 'login_failed')
                 GROUP BY space_id
                HAVING count(*) FILTER (WHERE event = 'login_failed' OR user_sub IS NOT NULL) > 0
                """
            ).map { row in
                DailyRow(
                    spaceID: try spaceIDs.value(row), day: try row.date("day"), successes: try row.int("successes"),
                    failures: try row.int("failures"), distinctUsers: try row.int("distinct_users"))
            }
            let grants = try connection.query(
                """
                SELECT g.space_id, g.scope, g.user_sub, u.username, g.first_granted_at,
                       CASE WHEN g.last_granted_at <= \(until) THEN g.last_granted_at ELSE greatest(
                         (SELECT max(d.last_granted_at) FROM space_scope_grant_days d
                           WHERE d.space_id = g.space_id AND d.scope = g.scope AND d.user_sub = g.user_sub
                             AND d.day < (\(untilDayStart) AT TIME ZONE 'UTC')::date),
                         (SELECT max(e.occurred_at) FROM login_events e
                           WHERE e.space_id = g.space_id AND e.user_sub = g.user_sub AND e.event = 'login_succeeded'
                             AND g.scope = ANY(e.scopes_granted) AND e.occurred_at >= \(untilDayStart) AND e.occurred_at <= \(until)))
                       END AS last_granted_at
                  FROM space_scope_grants g LEFT JOIN space_users u USING (space_id, user_sub)
                 WHERE g.space_id = ANY(\(ids)) AND g.first_granted_at <= \(until)
                """
            ).map { row in
                ScopeGrantRow(
                    spaceID: try spaceIDs.value(row), userSub: try row.string("user_sub"), username: try row.optionalString("username"),
                    scope: try row.string("scope"), firstGrantedAt: try row.date("first_granted_at"),
                    lastGrantedAt: try row.date("last_granted_at"))
            }
            return ReportRows(
                users: Self.sortedBySpace(users, \.spaceID) { $0.userSub < $1.userSub },
                daily: Self.sortedBySpace(daily, \.spaceID) { $0.day < $1.day },
                grants: Self.sortedBySpace(grants, \.spaceID) { ($0.scope, $0.userSub) < ($1.scope, $1.userSub) })
        }
    }

    /// The rules' input for each of `spaces`: its registration (if any) and what the log shows
    /// in `[since, until]`, exact to the microsecond at both ends.
    public func contexts(spaces: [SpaceID], since: Date, until: Date) throws -> [SpaceContext] {
        let registered = Dictionary(
            try SpaceStore(pool: pool).list().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let observations = try observe(spaces: spaces, since: since, until: until)
        return spaces.map { id in
            let space = registered[id]
            var context = SpaceContext(spaceID: id, host: space?.host, callbacks: space?.callbacks ?? [], metadata: space?.metadata)
            let seen = observations[id] ?? [:]
            context.redirectURIs = seen["redirect_uri"] ?? []
            context.providerErrors = seen["provider_error"] ?? []
            context.scopesRequested = seen["scope_requested"] ?? []
            context.scopesGranted = seen["scope_granted"] ?? []
            if let signIns = seen["sign_in"]?.first {
                context.signInCount = signIns.count
                context.firstSignIn = signIns.firstSeen
                context.lastSignIn = signIns.lastSeen
            }
            return context
        }
    }

    /// Space → kind → values (first seen first). Whole days after `since`'s day come from
    /// space_observations; the rest of the window from login_events. `until`'s own day counts
    /// as whole for a Space with no event after `until` on that day ("settled": the usual
    /// report as of now), since its rollup row then holds exactly the events up to `until`;
    /// reading that day raw cost ~400 ms on the benchmark's 120k events of the day.
    private func observe(spaces: [SpaceID], since: Date, until: Date) throws -> [SpaceID: [String: [ObservedValue]]] {
        let ids = spaces.map(\.description)
        let sinceDayStart = RFC3339.startOfDay(since)
        let sinceDayEnd = sinceDayStart.addingTimeInterval(86_400)
        let untilDayStart = RFC3339.startOfDay(until)
        let untilDayEnd = untilDayStart.addingTimeInterval(86_400)
        // Not before since's day ends, so a one-day window is read once, by the first branch.
        let untilEdgeStart = max(untilDayStart, sinceDayEnd)
        let rows = try withoutJIT { connection in
            try connection.query(
                """
                WITH settled AS (
                    SELECT id AS space_id FROM unnest(\(ids)) AS id
                     WHERE NOT EXISTS (SELECT 1 FROM login_events e
                                        WHERE e.space_id = id AND e.occurred_at > \(until) AND e.occurred_at < \(untilDayEnd))
                ), edge AS (
                    SELECT space_id, occurred_at, event, reason, redirect_uri, scopes_requested, scopes_granted
                      FROM login_events
                     WHERE space_id = ANY(\(ids)) AND occurred_at >= \(since) AND occurred_at <= \(until)
                       AND occurred_at < \(sinceDayEnd)
                    UNION ALL
                    SELECT space_id, occurred_at, event, reason, redirect_uri, scopes_requested, scopes_granted
                      FROM login_events
                     WHERE space_id = ANY(\(ids)) AND space_id NOT IN (SELECT space_id FROM settled)
                       AND occurred_at >= \(untilEdgeStart) AND occurred_at <= \(until)
                ), seen (space_id, kind, value, count, first_seen_at, last_seen_at) AS (
                    SELECT space_id, kind, value, count, first_seen_at, last_seen_at FROM space_observations
                     WHERE space_id = ANY(\(ids)) AND day > (\(sinceDayStart) AT TIME ZONE 'UTC')::date
                       AND (day < (\(untilDayStart) AT TIME ZONE 'UTC')::date
                            OR (day = (\(untilDayStart) AT TIME ZONE 'UTC')::date AND space_id IN (SELECT space_id FROM settled)))
                    UNION ALL
                    SELECT space_id, 'redirect_uri', redirect_uri, 1, occurred_at, occurred_at FROM edge WHERE redirect_uri <> ''
                    UNION ALL
                    SELECT space_id, 'provider_error', substr(reason, 11), 1, occurred_at, occurred_at FROM edge
                     WHERE event = 'login_failed' AND reason LIKE 'idp\\_error:_%'
                    UNION ALL
                    SELECT space_id, 'sign_in', '', 1, occurred_at, occurred_at FROM edge WHERE event = 'login_succeeded'
                    UNION ALL
                    SELECT space_id, 'scope_requested', s, 1, occurred_at, occurred_at FROM edge, unnest(scopes_requested) AS s
                    UNION ALL
                    SELECT space_id, 'scope_granted', s, 1, occurred_at, occurred_at FROM edge, unnest(scopes_granted) AS s
                )
                SELECT space_id, kind, value, sum(count)::bigint AS count, min(first_seen_at) AS first_seen_at,
                       max(last_seen_at) AS last_seen_at
                  FROM seen GROUP BY space_id, kind, value ORDER BY space_id, kind, min(first_seen_at), value
                """)
        }
        var result: [SpaceID: [String: [ObservedValue]]] = [:]
        var spaceIDs = SpaceIDColumn()
        for row in rows {
            let value = ObservedValue(
                try row.string("value"), count: try row.int("count"), firstSeen: try row.date("first_seen_at"),
                lastSeen: try row.date("last_seen_at"))
            result[try spaceIDs.value(row), default: [:]][try row.string("kind"), default: []].append(value)
        }
        return result
    }

    /// Runs `body` on a pooled connection in a transaction with JIT compilation off.
    ///
    /// Why: the planner costs the correlated subqueries of the users and grants queries once
    /// per outer row although their CASE runs them only for rows whose last success lies after
    /// `until` (almost none), so the estimate (millions) passes `jit_above_cost` and PostgreSQL
    /// spent 170–300 ms compiling plans that execute in 1–8 ms (EXPLAIN ANALYZE of the app's
    /// parameterised statements, docs/storage.md "Report query plans"). `SET LOCAL` ends with
    /// the transaction, so the connection returns to the pool unchanged.
    private func withoutJIT<T>(_ body: (Connection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try connection.transaction { transaction in
                _ = try transaction.execute("SET LOCAL jit = off")
                return try body(transaction)
            }
        }
    }
}
