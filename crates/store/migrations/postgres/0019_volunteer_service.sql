-- Migration 19: volunteer service — teams and their volunteers (members or not), service
-- requests (the contact's phone sealed), the shifts a request becomes (a counter of places
-- taken that never passes the capacity), and sign-ups with check-in, check-out and the
-- leader's confirmation. Born distributed by tenant on a Citus cluster.
CREATE TABLE volunteer_teams (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('strike_team', 'delivery_team', 'transport_fleet', 'shuttle_fleet', 'community_shifts')),
    districts TEXT NOT NULL,
    leader_id UUID,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX volunteer_teams_org ON volunteer_teams (org_path);

CREATE TABLE volunteers (
    tenant_id UUID NOT NULL,
    team_id UUID NOT NULL,
    person_id UUID NOT NULL,
    skills TEXT,
    vehicle TEXT NOT NULL CHECK (vehicle IN ('none', 'e_bike', 'van', 'truck')),
    load_kg BIGINT,
    availability TEXT,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, team_id, person_id)
);
CREATE INDEX volunteers_person ON volunteers (tenant_id, person_id);

CREATE TABLE service_requests (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    requester TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone_enc BYTEA NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL,
    district TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    urgency TEXT NOT NULL,
    note TEXT,
    team_id UUID,
    confirmed_at BIGINT,
    confirmed_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX service_requests_org ON service_requests (org_path, starts_at);

CREATE TABLE shifts (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    request_id UUID NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    taken BIGINT NOT NULL CHECK (taken >= 0 AND taken <= capacity),
    task TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX shifts_request ON shifts (tenant_id, request_id);
CREATE INDEX shifts_open ON shifts (starts_at);

CREATE TABLE shift_signups (
    tenant_id UUID NOT NULL,
    shift_id UUID NOT NULL,
    person_id UUID NOT NULL,
    signed_at BIGINT NOT NULL,
    checked_in_at TEXT,
    checked_out_at TEXT,
    minutes BIGINT,
    confirmed_at BIGINT,
    confirmed_by TEXT,
    evaluation TEXT,
    PRIMARY KEY (tenant_id, shift_id, person_id)
);
CREATE INDEX shift_signups_person ON shift_signups (tenant_id, person_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('volunteer_teams', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('volunteers', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('service_requests', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('shifts', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('shift_signups', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE volunteers ADD FOREIGN KEY (tenant_id, team_id) REFERENCES volunteer_teams (tenant_id, id);
ALTER TABLE volunteers ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE shifts ADD FOREIGN KEY (tenant_id, request_id) REFERENCES service_requests (tenant_id, id);
ALTER TABLE shift_signups ADD FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id);
ALTER TABLE shift_signups ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
