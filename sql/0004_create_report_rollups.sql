-- 0004_create_report_rollups.sql: the Space metadata history and the summary tables that
-- `spaceaudit report` and GET /api/v1/report read instead of scanning login_events.
-- Forward-only: once landed, never edit this file. Runs inside the migrator's transaction.
--
-- Design (docs/storage.md "Report rollups"): one AFTER INSERT row trigger on login_events
-- folds each new event into small per-day tables. login_events is append-only, so rollups
-- only ever grow and can never disagree with an UPDATE. A report reads the rollups for every
-- whole UTC day before its `until` and only the raw events of `until`'s own day (one day,
-- through login_events_space_occurred_idx), so its cost follows the number of users, days
-- and distinct values, not the number of events.

-- A dated row for each change of a Space's registration, so a config change can be set
-- beside a failure spike. Not tied to `spaces` by a foreign key: history outlives removal.
CREATE TABLE space_metadata_history (
    id           bigserial PRIMARY KEY,
    space_id     text NOT NULL,
    change       text NOT NULL CHECK (change IN ('added', 'updated', 'removed')),
    host         text,
    callbacks    text[],
    metadata     jsonb,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX space_metadata_history_space_idx ON space_metadata_history (space_id, recorded_at);

-- Per (Space, UTC day): login_succeeded (with a user_sub) and login_failed counts, and how
-- many distinct users signed in that day.
CREATE TABLE space_daily_stats (
    space_id          text NOT NULL,
    day               date NOT NULL,
    successes         bigint NOT NULL DEFAULT 0,
    failures          bigint NOT NULL DEFAULT 0,
    distinct_users    bigint NOT NULL DEFAULT 0,
    last_success_at   timestamptz,
    PRIMARY KEY (space_id, day)
);

-- Per (Space, user, UTC day): the day's first and last success. Gives distinct users per
-- day and the exact "last success before T" for a report as of a past instant.
CREATE TABLE space_user_days (
    space_id          text NOT NULL,
    user_sub          text NOT NULL,
    day               date NOT NULL,
    successes         bigint NOT NULL,
    first_success_at  timestamptz NOT NULL,
    last_success_at   timestamptz NOT NULL,
    PRIMARY KEY (space_id, user_sub, day)
);

-- Per (Space, user), all time: first and last success and the most recent username.
CREATE TABLE space_users (
    space_id          text NOT NULL,
    user_sub          text NOT NULL,
    username          text,
    username_at       timestamptz,
    first_success_at  timestamptz NOT NULL,
    last_success_at   timestamptz NOT NULL,
    successes         bigint NOT NULL,
    PRIMARY KEY (space_id, user_sub)
);

-- Per (Space, scope, user), all time: first and last grant on a successful sign-in.
CREATE TABLE space_scope_grants (
    space_id          text NOT NULL,
    scope             text NOT NULL,
    user_sub          text NOT NULL,
    first_granted_at  timestamptz NOT NULL,
    last_granted_at   timestamptz NOT NULL,
    grants            bigint NOT NULL,
    PRIMARY KEY (space_id, scope, user_sub)
);

-- Per (Space, scope, user, UTC day): the day's last grant, only read for a report as of a
-- past instant (when the all-time last grant lies after it).
CREATE TABLE space_scope_grant_days (
    space_id         text NOT NULL,
    scope            text NOT NULL,
    user_sub         text NOT NULL,
    day              date NOT NULL,
    last_granted_at  timestamptz NOT NULL,
    PRIMARY KEY (space_id, scope, user_sub, day)
);

-- Per (Space, UTC day, kind, value): what the rules look at at run time. Kinds:
-- redirect_uri (any event with one), provider_error (login_failed with idp_error:<error>),
-- scope_requested, scope_granted (every element of every event, as AuditCore's
-- SpaceContext.observe counts them), sign_in (every login_succeeded; value '').
CREATE TABLE space_observations (
    space_id       text NOT NULL,
    day            date NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('redirect_uri', 'provider_error', 'scope_requested', 'scope_granted', 'sign_in')),
    value          text NOT NULL,
    count          bigint NOT NULL,
    first_seen_at  timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    PRIMARY KEY (space_id, day, kind, value)
);

CREATE FUNCTION rollup_observe(p_space text, p_day date, p_kind text, p_value text, p_at timestamptz) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO space_observations AS o (space_id, day, kind, value, count, first_seen_at, last_seen_at)
    VALUES (p_space, p_day, p_kind, p_value, 1, p_at, p_at)
    ON CONFLICT (space_id, day, kind, value) DO UPDATE
       SET count = o.count + 1,
           first_seen_at = least(o.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = greatest(o.last_seen_at, EXCLUDED.last_seen_at);
$$;

-- Folds one event into every rollup. Takes columns rather than a row: a trigger on a
-- partition sees the partition's row type, which is not the parent's.
CREATE FUNCTION rollup_login_event(
    p_space text, p_at timestamptz, p_event text, p_reason text, p_user_sub text, p_username text,
    p_scopes_requested text[], p_scopes_granted text[], p_redirect_uri text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    d              date := (p_at AT TIME ZONE 'UTC')::date;
    first_of_day   boolean;
    s              text;
BEGIN
    IF p_event = 'login_failed' THEN
        INSERT INTO space_daily_stats AS t (space_id, day, failures) VALUES (p_space, d, 1)
        ON CONFLICT (space_id, day) DO UPDATE SET failures = t.failures + 1;
        -- 'idp_error:<provider error>'; a bare 'idp_error' carries no provider error.
        IF p_reason LIKE 'idp\_error:_%' THEN
            PERFORM rollup_observe(p_space, d, 'provider_error', substr(p_reason, 11), p_at);
        END IF;
    END IF;

    IF p_event = 'login_succeeded' THEN
        PERFORM rollup_observe(p_space, d, 'sign_in', '', p_at);
    END IF;

    IF p_event = 'login_succeeded' AND p_user_sub IS NOT NULL THEN
        INSERT INTO space_user_days AS t (space_id, user_sub, day, successes, first_success_at, last_success_at)
        VALUES (p_space, p_user_sub, d, 1, p_at, p_at)
        ON CONFLICT (space_id, user_sub, day) DO UPDATE
           SET successes = t.successes + 1,
               first_success_at = least(t.first_success_at, EXCLUDED.first_success_at),
               last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at)
        RETURNING (xmax = 0) INTO first_of_day;  -- xmax = 0: the row was inserted, not updated

        INSERT INTO space_daily_stats AS t (space_id, day, successes, distinct_users, last_success_at)
        VALUES (p_space, d, 1, CASE WHEN first_of_day THEN 1 ELSE 0 END, p_at)
        ON CONFLICT (space_id, day) DO UPDATE
           SET successes = t.successes + 1,
               distinct_users = t.distinct_users + EXCLUDED.distinct_users,
               last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at);

        INSERT INTO space_users AS t (space_id, user_sub, username, username_at, first_success_at, last_success_at, successes)
        VALUES (p_space, p_user_sub, p_username, CASE WHEN p_username IS NOT NULL THEN p_at END, p_at, p_at, 1)
        ON CONFLICT (space_id, user_sub) DO UPDATE
           SET successes = t.successes + 1,
               first_success_at = least(t.first_success_at, EXCLUDED.first_success_at),
               last_success_at = greatest(t.last_success_at, EXCLUDED.last_success_at),
               -- Renames happen; the name of the latest sign-in that carried one wins.
               username = CASE WHEN EXCLUDED.username IS NOT NULL AND EXCLUDED.username_at >= coalesce(t.username_at, '-infinity')
                               THEN EXCLUDED.username ELSE t.username END,
               username_at = CASE WHEN EXCLUDED.username IS NOT NULL AND EXCLUDED.username_at >= coalesce(t.username_at, '-infinity')
                                  THEN EXCLUDED.username_at ELSE t.username_at END;

        FOR s IN SELECT DISTINCT g FROM unnest(p_scopes_granted) AS g WHERE g IS NOT NULL LOOP
            INSERT INTO space_scope_grants AS t (space_id, scope, user_sub, first_granted_at, last_granted_at, grants)
            VALUES (p_space, s, p_user_sub, p_at, p_at, 1)
            ON CONFLICT (space_id, scope, user_sub) DO UPDATE
               SET grants = t.grants + 1,
                   first_granted_at = least(t.first_granted_at, EXCLUDED.first_granted_at),
                   last_granted_at = greatest(t.last_granted_at, EXCLUDED.last_granted_at);
            INSERT INTO space_scope_grant_days AS t (space_id, scope, user_sub, day, last_granted_at)
            VALUES (p_space, s, p_user_sub, d, p_at)
            ON CONFLICT (space_id, scope, user_sub, day) DO UPDATE
               SET last_granted_at = greatest(t.last_granted_at, EXCLUDED.last_granted_at);
        END LOOP;
    END IF;

    IF p_redirect_uri IS NOT NULL AND p_redirect_uri <> '' THEN
        PERFORM rollup_observe(p_space, d, 'redirect_uri', p_redirect_uri, p_at);
    END IF;
    FOREACH s IN ARRAY coalesce(p_scopes_requested, '{}') LOOP
        PERFORM rollup_observe(p_space, d, 'scope_requested', s, p_at);
    END LOOP;
    FOREACH s IN ARRAY coalesce(p_scopes_granted, '{}') LOOP
        PERFORM rollup_observe(p_space, d, 'scope_granted', s, p_at);
    END LOOP;
END
$$;

CREATE FUNCTION login_events_rollup() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM rollup_login_event(NEW.space_id, NEW.occurred_at, NEW.event, NEW.reason, NEW.user_sub, NEW.username,
                               NEW.scopes_requested, NEW.scopes_granted, NEW.redirect_uri);
    RETURN NULL;
END
$$;

-- Cloned onto every partition, present and future (PostgreSQL 13+). Runs in the inserting
-- transaction, so a rolled-back batch leaves no trace in the rollups either.
CREATE TRIGGER login_events_rollup
    AFTER INSERT ON login_events
    FOR EACH ROW EXECUTE FUNCTION login_events_rollup();

-- Events stored before this migration: fold them in once, in chain order.
SELECT rollup_login_event(space_id, occurred_at, event, reason, user_sub, username,
                          scopes_requested, scopes_granted, redirect_uri)
  FROM login_events ORDER BY space_id, seq;
