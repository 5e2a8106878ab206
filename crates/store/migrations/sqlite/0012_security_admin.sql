-- Separated administrators (三员分立, issue 15): a security administrator grants roles.
-- SQLite cannot change a CHECK, so the grants table is rebuilt with the new role allowed.
CREATE TABLE grants_new (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('system_admin', 'security_admin', 'org_admin', 'organiser', 'secretary', 'member', 'applicant', 'auditor')),
    org_id BLOB REFERENCES organizations (id)
);
INSERT INTO grants_new (id, user_id, role, org_id) SELECT id, user_id, role, org_id FROM grants;
DROP TABLE grants;
ALTER TABLE grants_new RENAME TO grants;
CREATE INDEX grants_user ON grants (user_id);
