-- Migration 22: the city side — the service map's district outlines and places (CGCS2000,
-- millionths of a degree), a service request's place, the phone directory, party badges
-- and 先锋岗 stickers (a sticker's plate sealed, found by keyed hash) with citizens' praise
-- and complaints, the portal's news (its image in `images`), what the portal publishes, and
-- citizens' volunteer sign-ups. Born distributed by tenant.
CREATE TABLE map_districts (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    name TEXT NOT NULL,
    outline TEXT NOT NULL,
    schematic BOOLEAN NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE places (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('station', 'rest_point', 'service_centre', 'pioneer_post', 'community', 'control_zone', 'testing_point', 'supply_point', 'institution')),
    name TEXT NOT NULL,
    district TEXT NOT NULL,
    lat_e6 BIGINT NOT NULL,
    lng_e6 BIGINT NOT NULL,
    address TEXT,
    contact TEXT,
    phone TEXT,
    hours TEXT,
    note TEXT,
    control_level TEXT CHECK (control_level IS NULL OR control_level IN ('sealed', 'controlled', 'precaution')),
    valid_from TEXT,
    valid_until TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX places_kind ON places (tenant_id, kind, district);

CREATE TABLE directory_entries (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('community_office', 'hospital', 'testing_site', 'service_centre', 'station', 'welfare_institution', 'hotline')),
    name TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT,
    hours TEXT,
    phone TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('public', 'members')),
    verified_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX directory_entries_find ON directory_entries (tenant_id, category, district);
CREATE INDEX directory_entries_org ON directory_entries (org_path, verified_on);

CREATE TABLE badges (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('badge', 'sticker')),
    number TEXT NOT NULL,
    person_id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    station TEXT,
    plate_enc BYTEA,
    plate_hash BYTEA,
    issued_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('returned', 'revoked')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, number)
);
CREATE INDEX badges_person ON badges (tenant_id, person_id);
CREATE INDEX badges_org ON badges (org_path);

CREATE TABLE badge_feedback (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    badge_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('praise', 'complaint')),
    body TEXT NOT NULL,
    name TEXT,
    phone_enc BYTEA,
    received_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX badge_feedback_org ON badge_feedback (org_path, received_at);

CREATE TABLE news_articles (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    column_name TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    body TEXT NOT NULL,
    image_id UUID,
    author TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX news_articles_published ON news_articles (tenant_id, published_at);

CREATE TABLE portal_settings (
    tenant_id UUID NOT NULL,
    title TEXT,
    figures TEXT NOT NULL,
    since_year BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE citizen_signups (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    team_id UUID NOT NULL,
    name TEXT NOT NULL,
    phone_enc BYTEA NOT NULL,
    district TEXT,
    skills TEXT,
    availability TEXT,
    received_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('contacted', 'declined')),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX citizen_signups_team ON citizen_signups (tenant_id, team_id, received_at);

ALTER TABLE service_requests ADD COLUMN place_id UUID;
DO $$
BEGIN
    EXECUTE 'CREATE INDEX service_requests_place ON service_requests (tenant_id, place_id)';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('map_districts', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('places', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('directory_entries', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('badges', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('badge_feedback', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('news_articles', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('portal_settings', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('citizen_signups', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE badges ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE badge_feedback ADD FOREIGN KEY (tenant_id, badge_id) REFERENCES badges (tenant_id, id);
ALTER TABLE citizen_signups ADD FOREIGN KEY (tenant_id, team_id) REFERENCES volunteer_teams (tenant_id, id);
ALTER TABLE service_requests ADD FOREIGN KEY (tenant_id, place_id) REFERENCES places (tenant_id, id);
