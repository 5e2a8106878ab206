-- Migration 20: campaigns (专项行动) and donations: money (fen) or goods received once, a
-- counter of what was handed out that never passes what was received, and each
-- distribution to a recipient with its receipt. Born distributed by tenant.
CREATE TABLE campaigns (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX campaigns_org ON campaigns (org_path, starts_on);

CREATE TABLE donations (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    campaign_id UUID,
    org_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    donor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('money', 'goods')),
    item TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    distributed BIGINT NOT NULL CHECK (distributed >= 0 AND distributed <= quantity),
    received_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX donations_campaign ON donations (tenant_id, campaign_id);

CREATE TABLE distributions (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    donation_id UUID NOT NULL,
    recipient TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    given_on TEXT NOT NULL,
    receipt TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX distributions_donation ON distributions (tenant_id, donation_id);

ALTER TABLE service_requests ADD COLUMN campaign_id UUID;
ALTER TABLE volunteer_teams ADD COLUMN campaign_id UUID;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('campaigns', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('donations', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('distributions', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE donations ADD FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id);
ALTER TABLE distributions ADD FOREIGN KEY (tenant_id, donation_id) REFERENCES donations (tenant_id, id);
