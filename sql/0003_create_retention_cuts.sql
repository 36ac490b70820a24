-- 0003_create_retention_cuts.sql: what retention removed from each Space's hash chain.
-- Forward-only: once landed, never edit this file; add a new NNNN_verb_object.sql instead.
--
-- Partitions are by occurred_at but chains are by seq, so dropping a month can remove
-- several runs of chain positions (a late-reported event sits later in the chain than newer
-- ones). Each run is one row here: first_seq..last_seq were removed, and last_hash is the
-- hash of row last_seq, i.e. the prev_hash the next surviving row must carry. `verify`
-- accepts a gap in a chain only when a cut row covers it exactly.
--
-- The rows of one retention run are committed to by that run's `retention` event in the
-- chain (its reason holds ranges_sha256), so editing this table is detected too.
CREATE TABLE retention_cuts (
    space_id            text NOT NULL,
    first_seq           bigint NOT NULL,
    last_seq            bigint NOT NULL,
    last_hash           bytea NOT NULL,
    rows_removed        bigint NOT NULL,
    retention_event_id  uuid NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, first_seq),
    CHECK (first_seq >= 1 AND last_seq >= first_seq)
);

-- Append-only like the log itself: a cut record is evidence.
CREATE FUNCTION retention_cuts_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'retention_cuts is append-only'
        USING ERRCODE = 'SA001',
              HINT = 'Cut records are evidence for verify; they are never changed.';
END
$$;

CREATE TRIGGER retention_cuts_append_only
    BEFORE UPDATE OR DELETE ON retention_cuts
    FOR EACH ROW EXECUTE FUNCTION retention_cuts_append_only();

CREATE TRIGGER retention_cuts_no_truncate
    BEFORE TRUNCATE ON retention_cuts
    FOR EACH STATEMENT EXECUTE FUNCTION retention_cuts_append_only();
