-- Members leaving (出党, and deaths): one record per person, kept by the organisation that
-- handled the case (RULES.md STAT-004). The person's status becomes non_member (not mobile,
-- no home organisation); what they had is kept so that withdrawing a mistaken record (or
-- 恢复党籍) restores it.
CREATE TABLE departures (
    person_id UUID PRIMARY KEY NOT NULL REFERENCES people (id),
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('died', 'suspended', 'removed', 'persuaded', 'withdrew', 'expelled',
        'probation_cancelled')),
    left_on TEXT NOT NULL,
    status_before TEXT NOT NULL CHECK (status_before IN ('probationary_member', 'full_member')),
    was_mobile BOOLEAN NOT NULL,
    home_before TEXT,
    note TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX departures_tenant ON departures (tenant_id, left_on);
