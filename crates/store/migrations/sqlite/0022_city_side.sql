-- Migration 22: the city side — the service map's district outlines and places (CGCS2000,
-- millionths of a degree), a service request's place, the phone directory, party badges
-- and 先锋岗 stickers (a sticker's plate sealed, found by keyed hash) with citizens' praise
-- and complaints, the portal's news (its image in `images`), what the portal publishes, and
-- citizens' volunteer sign-ups.
CREATE TABLE map_districts (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    outline TEXT NOT NULL,
    schematic BOOLEAN NOT NULL,
    imported_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE places (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    org_path TEXT NOT NULL,
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
    updated_at BIGINT NOT NULL
);
CREATE INDEX places_kind ON places (tenant_id, kind, district);

CREATE TABLE directory_entries (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    org_path TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('community_office', 'hospital', 'testing_site', 'service_centre', 'station', 'welfare_institution', 'hotline')),
    name TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT,
    hours TEXT,
    phone TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('public', 'members')),
    verified_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX directory_entries_find ON directory_entries (tenant_id, category, district);
CREATE INDEX directory_entries_org ON directory_entries (org_path, verified_on);

CREATE TABLE badges (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('badge', 'sticker')),
    number TEXT NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    org_id BLOB NOT NULL,
    org_path TEXT NOT NULL,
    station TEXT,
    plate_enc BLOB,
    plate_hash BLOB,
    issued_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('returned', 'revoked')),
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, kind, number)
);
CREATE INDEX badges_person ON badges (tenant_id, person_id);
CREATE INDEX badges_org ON badges (org_path);

CREATE TABLE badge_feedback (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    badge_id BLOB NOT NULL REFERENCES badges (id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('praise', 'complaint')),
    body TEXT NOT NULL,
    name TEXT,
    phone_enc BLOB,
    received_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT
);
CREATE INDEX badge_feedback_org ON badge_feedback (org_path, received_at);

CREATE TABLE news_articles (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL,
    column_name TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    body TEXT NOT NULL,
    image_id BLOB,
    author TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX news_articles_published ON news_articles (tenant_id, published_at);

CREATE TABLE portal_settings (
    tenant_id BLOB PRIMARY KEY NOT NULL,
    title TEXT,
    figures TEXT NOT NULL,
    since_year BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE citizen_signups (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    team_id BLOB NOT NULL REFERENCES volunteer_teams (id),
    name TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    district TEXT,
    skills TEXT,
    availability TEXT,
    received_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('contacted', 'declined'))
);
CREATE INDEX citizen_signups_team ON citizen_signups (tenant_id, team_id, received_at);

ALTER TABLE service_requests ADD COLUMN place_id BLOB REFERENCES places (id);
CREATE INDEX service_requests_place ON service_requests (tenant_id, place_id);
