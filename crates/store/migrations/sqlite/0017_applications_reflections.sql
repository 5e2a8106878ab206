-- Migration 17: applications to join submitted online (the text, and a scan if one was
-- sent), waiting for the branch to accept them as the procedure's first step; and members'
-- reflections (心得体会) on a course, approved by the branch secretary before the branch
-- reads them.
CREATE TABLE applications (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id),
    org_id BLOB NOT NULL,
    org_path TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    text TEXT NOT NULL,
    scan BLOB,
    scan_type TEXT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'declined')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    dossier_id BLOB,
    created_at BIGINT NOT NULL
);
CREATE INDEX applications_org ON applications (org_path, status, created_at);
CREATE INDEX applications_person ON applications (person_id, created_at);

CREATE TABLE reflections (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY NOT NULL,
    course_id BLOB NOT NULL REFERENCES courses (id),
    person_id BLOB NOT NULL REFERENCES people (id),
    org_path TEXT NOT NULL,
    text TEXT NOT NULL,
    written_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT
);
CREATE INDEX reflections_course ON reflections (course_id, status, written_at);
CREATE INDEX reflections_org ON reflections (org_path, status, written_at);
