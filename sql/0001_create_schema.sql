-- 0001_create_schema.sql: the first SpaceAudit schema.
-- Forward-only: once landed, never edit this file; add a new NNNN_verb_object.sql instead.
-- Runs inside one transaction (the migrator's), so it must not contain BEGIN/COMMIT.

-- Spaces under audit, keyed by their Hub id "owner/name".
CREATE TABLE spaces (
    id          text PRIMARY KEY,
    host        text NOT NULL,
    callbacks   text[] NOT NULL DEFAULT '{}',
    metadata    jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The audit log: one row per login event, hash-chained per Space (seq, prev_hash, hash).
-- Monthly RANGE partitions so retention drops whole months; call
-- ensure_login_events_partition(occurred_at) before inserting into a new month.
CREATE TABLE login_events (
    event_id          uuid NOT NULL DEFAULT gen_random_uuid(),
    space_id          text NOT NULL,
    seq               bigint NOT NULL,
    occurred_at       timestamptz NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    event             text NOT NULL CHECK (event IN ('login_started', 'login_succeeded', 'login_failed',
                                                     'logout', 'session_expired', 'export', 'retention')),
    outcome           text,
    reason            text,
    user_sub          text,
    username          text,
    orgs              text[] NOT NULL DEFAULT '{}',
    scopes_requested  text[] NOT NULL DEFAULT '{}',
    scopes_granted    text[] NOT NULL DEFAULT '{}',
    redirect_uri      text,
    client_id         text,
    client_ip         text,
    user_agent        text,
    source            text NOT NULL CHECK (source IN ('service', 'ingest')),
    idempotency_key   text,
    prev_hash         bytea,
    hash              bytea NOT NULL,
    -- A unique key on a partitioned table must contain the partition key, hence occurred_at.
    PRIMARY KEY (space_id, seq, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX login_events_space_occurred_idx ON login_events (space_id, occurred_at);

-- Append-only guard, used by the row trigger (UPDATE, DELETE) and the TRUNCATE triggers.
-- Raises SQLSTATE 'SA001' (a SpaceAudit-private class, so it cannot be confused with a
-- PostgreSQL one) with the message "login_events is append-only".
-- UPDATE is always refused: the hash chain makes an edited row a forgery, and retention never
-- needs it. DELETE and TRUNCATE pass only when the retention path has run
--   SELECT set_config('spaceaudit.retention', 'on', true)   -- transaction-local
-- in the same transaction.
CREATE FUNCTION login_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
       AND coalesce(current_setting('spaceaudit.retention', true), '') = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;  -- let the DELETE proceed
        END IF;
        RETURN NULL;     -- statement trigger: the value is ignored
    END IF;
    RAISE EXCEPTION 'login_events is append-only'
        USING ERRCODE = 'SA001',
              HINT = 'Rows are hash-chained; only the retention path may delete them.';
END
$$;

-- Since PostgreSQL 13 a row trigger on the partitioned parent is cloned onto every partition,
-- present and future, so it also fires when a partition is addressed directly.
CREATE TRIGGER login_events_append_only
    BEFORE UPDATE OR DELETE ON login_events
    FOR EACH ROW EXECUTE FUNCTION login_events_append_only();

-- Statement triggers are not cloned: this one covers TRUNCATE of the parent, and
-- ensure_login_events_partition adds the same trigger to each partition it creates.
CREATE TRIGGER login_events_no_truncate
    BEFORE TRUNCATE ON login_events
    FOR EACH STATEMENT EXECUTE FUNCTION login_events_append_only();

-- Creates the month partition login_events_yYYYYmMM holding ts (months are UTC) if it is
-- missing, and returns its name. Idempotent and safe when many sessions call it at once: an
-- advisory lock serialises creators, and every step after it is idempotent. Creating a
-- partition locks the parent until commit, so call it in its own short transaction (or in
-- autocommit) rather than inside a long insert transaction.
CREATE FUNCTION ensure_login_events_partition(ts timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamp := date_trunc('month', ts AT TIME ZONE 'UTC');
    part        text := 'login_events_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
    parent_nsp  text;
BEGIN
    SELECT n.nspname INTO parent_nsp
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = 'login_events'::regclass;

    IF to_regclass(format('%I.%I', parent_nsp, part)) IS NOT NULL THEN
        RETURN part;  -- fast path, no lock
    END IF;

    PERFORM pg_advisory_xact_lock(hashtext('spaceaudit.ensure_login_events_partition'));
    IF to_regclass(format('%I.%I', parent_nsp, part)) IS NULL THEN
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF login_events FOR VALUES FROM (%L) TO (%L)',
                       parent_nsp, part,
                       month_start AT TIME ZONE 'UTC',
                       (month_start + interval '1 month') AT TIME ZONE 'UTC');
        -- OR REPLACE: a session that waited on the lock may still see the table as missing
        -- (stale catalog snapshot) even though IF NOT EXISTS then finds it; both steps must be
        -- idempotent.
        EXECUTE format('CREATE OR REPLACE TRIGGER login_events_no_truncate BEFORE TRUNCATE ON %I.%I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION login_events_append_only()',
                       parent_nsp, part);
    END IF;
    RETURN part;
END
$$;

-- The head of each Space's chain. Writers lock it FOR UPDATE, so two concurrent writers
-- cannot both append after the same row and fork the chain.
CREATE TABLE chain_heads (
    space_id    text PRIMARY KEY,
    seq         bigint NOT NULL,
    hash        bytea NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Ingest idempotency: a repeated key is stored once; the payload hash tells a true retry
-- from a different event reusing the key.
CREATE TABLE event_idempotency (
    space_id         text NOT NULL,
    idempotency_key  text NOT NULL,
    event_id         uuid NOT NULL,
    payload_sha256   bytea NOT NULL,
    PRIMARY KEY (space_id, idempotency_key)
);

-- Server-side admin sessions; the cookie holds the random id, the table only its hash.
CREATE TABLE admin_sessions (
    id_hash       bytea PRIMARY KEY,
    sub           text NOT NULL,
    username      text NOT NULL,
    orgs          jsonb NOT NULL DEFAULT '[]',
    is_admin_all  bool NOT NULL,
    visible_orgs  text[] NOT NULL DEFAULT '{}',
    csrf_hash     bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz
);

-- Pending sign-ins. Nonce and PKCE verifier are derived from a browser-held secret and never
-- stored; only hashes are, so a database reader cannot complete someone else's login.
CREATE TABLE login_attempts (
    state_hash        bytea PRIMARY KEY,
    browser_hash      bytea NOT NULL,
    return_to         text,
    redirect_uri      text NOT NULL,
    scopes_requested  text[] NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    used_at           timestamptz
);

-- Ingest bearer tokens, stored hashed; a token is valid for its own Space only.
CREATE TABLE ingest_tokens (
    id          bigserial PRIMARY KEY,
    space_id    text NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
