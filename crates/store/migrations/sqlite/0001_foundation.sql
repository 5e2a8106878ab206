-- Foundation: deployment metadata, the organisation tree and the people registry.
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE organizations (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    parent_id BLOB REFERENCES organizations (id),
    path TEXT NOT NULL,
    depth BIGINT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind TEXT NOT NULL CHECK (kind IN ('working_committee', 'committee', 'industry_organization', 'general_branch', 'branch', 'mobile_branch')),
    approval_authority BOOLEAN NOT NULL,
    temporary BOOLEAN NOT NULL,
    enterprise TEXT,
    station TEXT,
    address TEXT,
    closed_on TEXT,
    is_demo BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX organizations_path ON organizations (path);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE INDEX organizations_tenant ON organizations (tenant_id, depth);

CREATE TABLE people (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    org_id BLOB NOT NULL REFERENCES organizations (id),
    -- The organisation's path, copied so a subtree of people is one index range.
    org_path TEXT NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    education TEXT NOT NULL CHECK (education IN ('primary', 'junior_secondary', 'senior_secondary', 'junior_college', 'bachelor', 'master', 'doctor')),
    worker_category TEXT NOT NULL CHECK (worker_category IN ('rider', 'courier', 'truck_driver', 'ride_hailing_driver', 'platform_staff', 'other')),
    employer TEXT,
    station TEXT,
    phone_enc BLOB,
    phone_idx BLOB,
    id_card_enc BLOB NOT NULL,
    id_card_idx BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('non_member', 'applicant', 'activist', 'development_target', 'probationary_member', 'full_member')),
    is_mobile BOOLEAN NOT NULL,
    home_organization TEXT,
    is_backbone BOOLEAN NOT NULL,
    is_key_position BOOLEAN NOT NULL,
    applied_on TEXT,
    activist_on TEXT,
    target_on TEXT,
    admitted_on TEXT,
    full_member_on TEXT,
    is_demo BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Lookups lead with the keyed hash; no people index leads with tenant_id (see search_people).
CREATE UNIQUE INDEX people_id_card ON people (id_card_idx, tenant_id);
CREATE INDEX people_phone ON people (phone_idx);
CREATE INDEX people_org ON people (org_id);
-- Each list filter walks its index in id order, so a page stops after 50 matches; the
-- status and category indexes also carry the other filter columns, so a sparse
-- combination (status + mobile + age band) is checked without reading the rows.
CREATE INDEX people_org_path ON people (org_path, id);
CREATE INDEX people_name ON people (name, id);
CREATE INDEX people_status ON people (status, id, is_mobile, worker_category, birth_date, education, gender, tenant_id);
CREATE INDEX people_category ON people (worker_category, id, status, is_mobile, birth_date, education, gender, tenant_id);
CREATE INDEX people_birth ON people (birth_date);

-- The journal: one hash chain per tenant; journal_heads holds each chain's last entry.
CREATE TABLE journal (
    tenant_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BLOB,
    change TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX journal_entity ON journal (entity_id);

CREATE TABLE journal_heads (
    tenant_id BLOB PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
