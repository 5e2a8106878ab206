-- Migration 17: applications to join submitted online (the text, and a scan if one was
-- sent), waiting for the branch to accept them as the procedure's first step; and members'
-- reflections (心得体会) on a course, approved by the branch secretary before the branch
-- reads them. Both belong to a tenant and are born distributed by it on Citus; their
-- foreign keys are added once they are (Citus takes keys between co-located tables only).
CREATE TABLE applications (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    person_id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    text TEXT NOT NULL,
    scan BYTEA,
    scan_type TEXT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'declined')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    dossier_id UUID,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX applications_org ON applications (org_path, status, created_at);
CREATE INDEX applications_person ON applications (person_id, created_at);

CREATE TABLE reflections (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    course_id UUID NOT NULL,
    person_id UUID NOT NULL,
    org_path TEXT NOT NULL,
    text TEXT NOT NULL,
    written_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'returned')),
    decided_at BIGINT,
    decided_by TEXT,
    reason TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reflections_course ON reflections (course_id, status, written_at);
CREATE INDEX reflections_org ON reflections (org_path, status, written_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('applications', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('reflections', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE applications ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE reflections ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE reflections ADD FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id);
