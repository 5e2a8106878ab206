-- Every row carries its tenant (issue 18): the child tables that reached their tenant only
-- through a parent get the column, filled from the parent. On PostgreSQL the keys also begin
-- with it, so a Citus cluster can keep each tenant's rows together; here the unique indexes
-- below give the upserts the same conflict targets as there.
ALTER TABLE dev_settings ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE dev_settings SET tenant_id = (SELECT o.tenant_id FROM organizations o WHERE o.id = dev_settings.org_id);
ALTER TABLE training_attendance ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE training_attendance SET tenant_id = (SELECT c.tenant_id FROM training_classes c WHERE c.id = training_attendance.class_id);
ALTER TABLE contact_visits ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE contact_visits SET tenant_id = (SELECT l.tenant_id FROM contact_links l WHERE l.id = contact_visits.link_id);
ALTER TABLE credit_entries ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE credit_entries SET tenant_id = (SELECT a.tenant_id FROM credit_accounts a WHERE a.member_id = credit_entries.member_id);
ALTER TABLE meeting_attendance ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE meeting_attendance SET tenant_id = (SELECT m.tenant_id FROM meetings m WHERE m.id = meeting_attendance.meeting_id);
ALTER TABLE course_reach ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE course_reach SET tenant_id = (SELECT c.tenant_id FROM courses c WHERE c.id = course_reach.course_id);
ALTER TABLE quiz_attempts ADD COLUMN tenant_id BLOB NOT NULL DEFAULT X'00000000000000000000000000000000';
UPDATE quiz_attempts SET tenant_id = (SELECT q.tenant_id FROM quizzes q WHERE q.id = quiz_attempts.quiz_id);
-- An account's person is found on their tenant's shards without a search across tenants.
ALTER TABLE users ADD COLUMN person_tenant_id BLOB;
UPDATE users SET person_tenant_id = (SELECT p.tenant_id FROM people p WHERE p.id = users.person_id);

CREATE UNIQUE INDEX dev_settings_tenant ON dev_settings (tenant_id, org_id);
CREATE UNIQUE INDEX training_attendance_tenant ON training_attendance (tenant_id, class_id, person_id);
CREATE UNIQUE INDEX orglife_settings_tenant ON orglife_settings (tenant_id, org_id);
CREATE UNIQUE INDEX org_credit_rules_tenant_org ON org_credit_rules (tenant_id, org_id);
