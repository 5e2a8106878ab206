-- Member-development dossiers: each one a list of immutable, dated events (dossier_events,
-- insert-only, the record) and one row per dossier holding where it stands and the events
-- in a compact text form for screening (rewritten with every event, in the same
-- transaction, from the events; never edited on its own).
CREATE TABLE dossiers (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    birth_date TEXT,
    mobile BOOLEAN NOT NULL,
    stage TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'rejected', 'cancelled', 'converted', 'archived')),
    -- The earliest due date of an open step (ISO date), for the work queues.
    next_due TEXT,
    next_due_step BIGINT,
    violations BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    backfill BOOLEAN NOT NULL,
    event_count BIGINT NOT NULL,
    encoded TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dossiers_person ON dossiers (person_id);
CREATE INDEX dossiers_org_path ON dossiers (org_path, id);
CREATE INDEX dossiers_org_due ON dossiers (org_id, next_due);

CREATE TABLE dossier_events (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    dossier_id BLOB NOT NULL REFERENCES dossiers (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    corrects BIGINT,
    backfill BOOLEAN NOT NULL,
    -- The fields as a JSON object of text values.
    fields TEXT NOT NULL,
    -- The organisation the dossier was with when the event was recorded (hand-overs).
    org_id BLOB NOT NULL REFERENCES organizations (id),
    -- Filings: the organisation filed with; acknowledgements and objections: the event
    -- they answer. Columns so the filing queue and the notice board are index lookups.
    to_org BLOB,
    ref_seq BIGINT,
    ends_on TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE UNIQUE INDEX dossier_events_seq ON dossier_events (dossier_id, seq);
CREATE INDEX dossier_events_to_org ON dossier_events (to_org, kind);
CREATE INDEX dossier_events_notices ON dossier_events (kind, ends_on);

-- Per-organisation settings of the L and U rules (JSON); the nearest ancestor's apply.
CREATE TABLE dev_settings (
    org_id BLOB PRIMARY KEY NOT NULL REFERENCES organizations (id),
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- 培训: training classes for activists and development targets, and who attended them
-- with the hours they completed (fed into the training step, DEV-020).
CREATE TABLE training_classes (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('activist', 'target')),
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    days BIGINT NOT NULL,
    hours BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX training_classes_org_path ON training_classes (org_path, starts_on);

CREATE TABLE training_attendance (
    class_id BLOB NOT NULL REFERENCES training_classes (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    hours BIGINT NOT NULL,
    passed BOOLEAN NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (class_id, person_id)
);
CREATE INDEX training_attendance_person ON training_attendance (person_id);

-- 一对一联系培养: a committee member assigned to a key staff member, with a cadence of
-- recorded contacts.
CREATE TABLE contact_links (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    member_id BLOB NOT NULL REFERENCES people (id),
    cadence_days BIGINT NOT NULL,
    since TEXT NOT NULL,
    last_contact TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX contact_links_person ON contact_links (person_id);
CREATE INDEX contact_links_org_path ON contact_links (org_path, id);

CREATE TABLE contact_visits (
    id BLOB PRIMARY KEY NOT NULL,
    link_id BLOB NOT NULL REFERENCES contact_links (id),
    happened_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX contact_visits_link ON contact_visits (link_id, happened_on);
