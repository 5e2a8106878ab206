-- Migration 20: campaigns (专项行动) and donations: money (fen) or goods received once, a
-- counter of what was handed out that never passes what was received, and each
-- distribution to a recipient with its receipt.
CREATE TABLE campaigns (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX campaigns_org ON campaigns (org_path, starts_on);

CREATE TABLE donations (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    campaign_id BLOB REFERENCES campaigns (id),
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    donor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('money', 'goods')),
    item TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    distributed BIGINT NOT NULL CHECK (distributed >= 0 AND distributed <= quantity),
    received_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX donations_campaign ON donations (tenant_id, campaign_id);

CREATE TABLE distributions (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    donation_id BLOB NOT NULL REFERENCES donations (id),
    recipient TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    given_on TEXT NOT NULL,
    receipt TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX distributions_donation ON distributions (tenant_id, donation_id);

ALTER TABLE service_requests ADD COLUMN campaign_id BLOB;
ALTER TABLE volunteer_teams ADD COLUMN campaign_id BLOB;
