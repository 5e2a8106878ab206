-- Migration 21: messages to volunteers (an outbox: shown in the app, handed to the
-- configured sender, retried until sent) and a campaign's published public summary.
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
CREATE INDEX service_requests_campaign ON service_requests (tenant_id, campaign_id);
CREATE INDEX service_requests_team ON service_requests (tenant_id, team_id);
