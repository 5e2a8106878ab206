-- Migration 21: messages to volunteers (an outbox: shown in the app, handed to the
-- configured sender, retried until sent), a campaign's published public summary, a shift's
-- running figures and indexes on a request's campaign and team.
-- Born distributed by tenant.
CREATE TABLE messages (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    person_id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('new_shift', 'shift_tomorrow', 'hours_confirmed')),
    subject_id UUID NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, person_id, kind, subject_id)
);
CREATE INDEX messages_due ON messages (next_try_at) WHERE sent_at IS NULL;
CREATE INDEX messages_person ON messages (tenant_id, person_id, created_at);

ALTER TABLE campaigns ADD COLUMN published_at BIGINT;
-- A shift's own running figures, kept in the same transaction as each check-in, check-out
-- and confirmation (like its places taken), so a board reads shifts, not every sign-up.
ALTER TABLE shifts ADD COLUMN on_shift BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN minutes_confirmed BIGINT NOT NULL DEFAULT 0;
-- Indexes on a table already distributed are created one command at a time (Citus passes
-- the command on to the shards as written; inside a script of several it refuses).
DO $$
BEGIN
    EXECUTE 'CREATE INDEX service_requests_campaign ON service_requests (tenant_id, campaign_id)';
    EXECUTE 'CREATE INDEX service_requests_team ON service_requests (tenant_id, team_id)';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('messages', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE messages ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
