-- Migration 21: messages to volunteers (an outbox: shown in the app, handed to the
-- configured sender, retried until sent), a campaign's published public summary, a shift's
-- running figures and indexes on a request's campaign and team.
CREATE TABLE messages (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('new_shift', 'shift_tomorrow', 'hours_confirmed')),
    subject_id BLOB NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_try_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT,
    UNIQUE (tenant_id, person_id, kind, subject_id)
);
CREATE INDEX messages_due ON messages (next_try_at) WHERE sent_at IS NULL;
CREATE INDEX messages_person ON messages (tenant_id, person_id, created_at);

ALTER TABLE campaigns ADD COLUMN published_at BIGINT;
-- A shift's own running figures, kept in the same transaction as each check-in, check-out
-- and confirmation (like its places taken), so a board reads shifts, not every sign-up.
ALTER TABLE shifts ADD COLUMN on_shift BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shifts ADD COLUMN minutes_confirmed BIGINT NOT NULL DEFAULT 0;
CREATE INDEX service_requests_campaign ON service_requests (tenant_id, campaign_id);
CREATE INDEX service_requests_team ON service_requests (tenant_id, team_id);
