-- Objections to a public notice (issue 15): received in the objector's real name with a
-- phone number (sealed, found by keyed hash, as every phone number), blocking nothing until
-- the organisation accepts one for investigation (its dossier event's seq is kept) or
-- dismisses it with a reason. No network address is kept.
CREATE TABLE objections (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    dossier_id BLOB NOT NULL REFERENCES dossiers (id),
    notice_seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    phone_idx BLOB NOT NULL,
    text TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'dismissed')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    event_seq BIGINT
);
CREATE INDEX objections_notice ON objections (dossier_id, notice_seq, received_at);
CREATE INDEX objections_open ON objections (tenant_id, status, received_at);
