-- 0005_replace_rollup_row_trigger.sql: folds new login_events into the report rollups once per
-- INSERT statement instead of once per row. Forward-only: once landed, never edit this file.
-- Runs inside the migrator's transaction.
--
-- Why: the FOR EACH ROW trigger of sql/0004 ran 4–10 single-row upserts per event, which capped
-- every write path at ~1,900 rows/s (bench/README.md). A statement-level AFTER INSERT trigger sees
-- all rows of the statement at once in a transition table, so each summary table gets ONE
-- set-based INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE. The rows are aggregated BEFORE
-- the upsert because ON CONFLICT may not touch the same target row twice in one statement.
--
-- The result is exactly what 0004 computes row by row (tests compare both): counts add up,
-- first/min and last/max use least/greatest, and the username of space_users is the one of the
-- latest sign-in that carried one, ties going to the later row in insertion order (seq, which
-- EventStore assigns in insertion order, as 0004's `>=` did).
--
-- PostgreSQL allows statement-level triggers with transition tables on a partitioned table's
-- parent (not on a partition); the transition table then holds the rows of every partition in
-- the parent's row type, and COPY fires it too.

DROP TRIGGER login_events_rollup ON login_events;   -- also drops its clones on the partitions
DROP FUNCTION login_events_rollup();
DROP FUNCTION rollup_login_event(text, timestamptz, text, text, text, text, text[], text[], text);
DROP FUNCTION rollup_observe(text, date, text, text, timestamptz);

CREATE FUNCTION login_events_rollup_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Sign-ins with a user: per (Space, user, day). `created` (xmax = 0: inserted, not updated)
    -- tells space_daily_stats which (user, day) pairs are new, i.e. its distinct_users delta.
    WITH signed_in AS (
        SELECT space_id, user_sub, (occurred_at AT TIME ZONE 'UTC')::date AS day, occurred_at
          FROM new_rows
         WHERE event = 'login_succeeded' AND user_sub IS NOT NULL
    ), user_days AS (
        INSERT INTO space_user_days AS t (space_id, user_sub, day, successes, first_success_at, last_success_at)
        SELECT space_id, user_sub, day, count(*), min(occurred_at), max(occurred_at)
          FROM signed_in GROUP BY space_id, user_sub, day
        ON CONFLICT (space_id, user_sub, day) DO UPDATE
           SET successes = t.successes + EXCLUDED.successes,
               first_success_at = least(t.first_success_at, EXCLUDED.first_success_at),
               last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at)
        RETURNING space_id, day, (xmax = 0) AS created
    ), new_users AS (
        SELECT space_id, day, count(*) FILTER (WHERE created) AS distinct_users FROM user_days GROUP BY space_id, day
    ), per_day AS (
        SELECT space_id, (occurred_at AT TIME ZONE 'UTC')::date AS day,
               count(*) FILTER (WHERE event = 'login_succeeded' AND user_sub IS NOT NULL) AS successes,
               count(*) FILTER (WHERE event = 'login_failed') AS failures,
               max(occurred_at) FILTER (WHERE event = 'login_succeeded' AND user_sub IS NOT NULL) AS last_success_at
          FROM new_rows
         WHERE event = 'login_failed' OR (event = 'login_succeeded' AND user_sub IS NOT NULL)
         GROUP BY 1, 2
    )
    INSERT INTO space_daily_stats AS t (space_id, day, successes, failures, distinct_users, last_success_at)
    SELECT p.space_id, p.day, p.successes, p.failures, coalesce(n.distinct_users, 0), p.last_success_at
      FROM per_day p LEFT JOIN new_users n USING (space_id, day)
    ON CONFLICT (space_id, day) DO UPDATE
       SET successes = t.successes + EXCLUDED.successes,
           failures = t.failures + EXCLUDED.failures,
           distinct_users = t.distinct_users + EXCLUDED.distinct_users,
           last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at);  -- greatest skips NULL

    INSERT INTO space_users AS t (space_id, user_sub, username, username_at, first_success_at, last_success_at, successes)
    SELECT space_id, user_sub,
           (array_agg(username ORDER BY occurred_at DESC, seq DESC) FILTER (WHERE username IS NOT NULL))[1],
           max(occurred_at) FILTER (WHERE username IS NOT NULL),
           min(occurred_at), max(occurred_at), count(*)
      FROM new_rows
     WHERE event = 'login_succeeded' AND user_sub IS NOT NULL
     GROUP BY space_id, user_sub
    ON CONFLICT (space_id, user_sub) DO UPDATE
       SET successes = t.successes + EXCLUDED.successes,
           first_success_at = least(t.first_success_at, EXCLUDED.first_success_at),
           last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at),
           -- Renames happen; the name of the latest sign-in that carried one wins.
           username = CASE WHEN EXCLUDED.username IS NOT NULL AND EXCLUDED.username_at >= coalesce(t.username_at, '-infinity')
                           THEN EXCLUDED.username ELSE t.username END,
           username_at = CASE WHEN EXCLUDED.username IS NOT NULL AND EXCLUDED.username_at >= coalesce(t.username_at, '-infinity')
                              THEN EXCLUDED.username_at ELSE t.username_at END;

    -- One grant per (event, distinct scope), as 0004's SELECT DISTINCT per event.
    WITH grants AS (
        SELECT e.space_id, g.scope, e.user_sub, (e.occurred_at AT TIME ZONE 'UTC')::date AS day, e.occurred_at
          FROM new_rows e
          CROSS JOIN LATERAL (SELECT DISTINCT s FROM unnest(e.scopes_granted) AS s WHERE s IS NOT NULL) AS g (scope)
         WHERE e.event = 'login_succeeded' AND e.user_sub IS NOT NULL
    ), all_time AS (
        INSERT INTO space_scope_grants AS t (space_id, scope, user_sub, first_granted_at, last_granted_at, grants)
        SELECT space_id, scope, user_sub, min(occurred_at), max(occurred_at), count(*)
          FROM grants GROUP BY space_id, scope, user_sub
        ON CONFLICT (space_id, scope, user_sub) DO UPDATE
           SET grants = t.grants + EXCLUDED.grants,
               first_granted_at = least(t.first_granted_at, EXCLUDED.first_granted_at),
               last_granted_at = greatest(t.last_granted_at, EXCLUDED.last_granted_at)
    )
    INSERT INTO space_scope_grant_days AS t (space_id, scope, user_sub, day, last_granted_at)
    SELECT space_id, scope, user_sub, day, max(occurred_at) FROM grants GROUP BY space_id, scope, user_sub, day
    ON CONFLICT (space_id, scope, user_sub, day) DO UPDATE
       SET last_granted_at = greatest(t.last_granted_at, EXCLUDED.last_granted_at);

    -- What the rules look at: every element of every array, as SpaceContext.observe counts.
    INSERT INTO space_observations AS o (space_id, day, kind, value, count, first_seen_at, last_seen_at)
    SELECT space_id, (occurred_at AT TIME ZONE 'UTC')::date, kind, value, count(*), min(occurred_at), max(occurred_at)
      FROM (
        SELECT space_id, occurred_at, 'provider_error' AS kind, substr(reason, 11) AS value FROM new_rows
         WHERE event = 'login_failed' AND reason LIKE 'idp\_error:_%'   -- a bare 'idp_error' names no provider error
        UNION ALL
        SELECT space_id, occurred_at, 'sign_in', '' FROM new_rows WHERE event = 'login_succeeded'
        UNION ALL
        SELECT space_id, occurred_at, 'redirect_uri', redirect_uri FROM new_rows WHERE redirect_uri <> ''
        UNION ALL
        SELECT space_id, occurred_at, 'scope_requested', s FROM new_rows, unnest(scopes_requested) AS s
        UNION ALL
        SELECT space_id, occurred_at, 'scope_granted', s FROM new_rows, unnest(scopes_granted) AS s
      ) AS seen
     GROUP BY space_id, 2, kind, value
    ON CONFLICT (space_id, day, kind, value) DO UPDATE
       SET count = o.count + EXCLUDED.count,
           first_seen_at = least(o.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = greatest(o.last_seen_at, EXCLUDED.last_seen_at);
    RETURN NULL;
END
$$;

-- Runs in the inserting transaction, so a rolled-back batch leaves no trace in the rollups.
CREATE TRIGGER login_events_rollup
    AFTER INSERT ON login_events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION login_events_rollup_statement();
