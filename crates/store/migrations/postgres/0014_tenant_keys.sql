-- Every row carries its tenant and every key begins with it (issue 18), so a Citus cluster
-- keeps each tenant's rows on one shard group and a request of one tenant is routed to it.
-- 1. The child tables that reached their tenant only through a parent get the column.
ALTER TABLE dev_settings ADD COLUMN tenant_id UUID;
UPDATE dev_settings s SET tenant_id = o.tenant_id FROM organizations o WHERE o.id = s.org_id;
ALTER TABLE training_attendance ADD COLUMN tenant_id UUID;
UPDATE training_attendance a SET tenant_id = c.tenant_id FROM training_classes c WHERE c.id = a.class_id;
ALTER TABLE contact_visits ADD COLUMN tenant_id UUID;
UPDATE contact_visits v SET tenant_id = l.tenant_id FROM contact_links l WHERE l.id = v.link_id;
ALTER TABLE credit_entries ADD COLUMN tenant_id UUID;
UPDATE credit_entries e SET tenant_id = a.tenant_id FROM credit_accounts a WHERE a.member_id = e.member_id;
ALTER TABLE meeting_attendance ADD COLUMN tenant_id UUID;
UPDATE meeting_attendance a SET tenant_id = m.tenant_id FROM meetings m WHERE m.id = a.meeting_id;
ALTER TABLE course_reach ADD COLUMN tenant_id UUID;
UPDATE course_reach r SET tenant_id = c.tenant_id FROM courses c WHERE c.id = r.course_id;
ALTER TABLE quiz_attempts ADD COLUMN tenant_id UUID;
UPDATE quiz_attempts a SET tenant_id = q.tenant_id FROM quizzes q WHERE q.id = a.quiz_id;
-- An account's person is found on their tenant's shards without a search across tenants.
ALTER TABLE users ADD COLUMN person_tenant_id UUID;
UPDATE users u SET person_tenant_id = p.tenant_id FROM people p WHERE p.id = u.person_id;
ALTER TABLE dev_settings ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE training_attendance ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE contact_visits ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE credit_entries ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE meeting_attendance ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE course_reach ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE quiz_attempts ALTER COLUMN tenant_id SET NOT NULL;

-- 2. Foreign keys between tenant-owned tables are dropped and made again on (tenant_id, …)
-- below. users.person_id is not made again: accounts are deployment-wide (a reference table
-- on Citus, which cannot point into a distributed one); the store checks the person.
ALTER TABLE users DROP CONSTRAINT users_person_id_fkey;
ALTER TABLE dossiers DROP CONSTRAINT dossiers_person_id_fkey;
ALTER TABLE dossier_events DROP CONSTRAINT dossier_events_dossier_id_fkey;
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_class_id_fkey;
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_person_id_fkey;
ALTER TABLE contact_links DROP CONSTRAINT contact_links_person_id_fkey;
ALTER TABLE contact_links DROP CONSTRAINT contact_links_member_id_fkey;
ALTER TABLE contact_visits DROP CONSTRAINT contact_visits_link_id_fkey;
ALTER TABLE credit_accounts DROP CONSTRAINT credit_accounts_member_id_fkey;
ALTER TABLE credit_entries DROP CONSTRAINT credit_entries_member_id_fkey;
ALTER TABLE meeting_attendance DROP CONSTRAINT meeting_attendance_meeting_id_fkey;
ALTER TABLE meeting_attendance DROP CONSTRAINT meeting_attendance_person_id_fkey;
ALTER TABLE course_reach DROP CONSTRAINT course_reach_course_id_fkey;
ALTER TABLE course_reach DROP CONSTRAINT course_reach_member_id_fkey;
ALTER TABLE quiz_attempts DROP CONSTRAINT quiz_attempts_quiz_id_fkey;
ALTER TABLE quiz_attempts DROP CONSTRAINT quiz_attempts_member_id_fkey;
ALTER TABLE care_redemptions DROP CONSTRAINT care_redemptions_benefit_id_fkey;
ALTER TABLE care_redemptions DROP CONSTRAINT care_redemptions_member_id_fkey;
ALTER TABLE departures DROP CONSTRAINT departures_person_id_fkey;
ALTER TABLE party_discipline DROP CONSTRAINT party_discipline_person_id_fkey;
ALTER TABLE objections DROP CONSTRAINT objections_dossier_id_fkey;

-- 3. Primary keys begin with the tenant.
ALTER TABLE people DROP CONSTRAINT people_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE dossiers DROP CONSTRAINT dossiers_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE dossier_events DROP CONSTRAINT dossier_events_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE dev_settings DROP CONSTRAINT dev_settings_pkey, ADD PRIMARY KEY (tenant_id, org_id);
ALTER TABLE training_classes DROP CONSTRAINT training_classes_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE training_attendance DROP CONSTRAINT training_attendance_pkey, ADD PRIMARY KEY (tenant_id, class_id, person_id);
ALTER TABLE contact_links DROP CONSTRAINT contact_links_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE contact_visits DROP CONSTRAINT contact_visits_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE credit_accounts DROP CONSTRAINT credit_accounts_pkey, ADD PRIMARY KEY (tenant_id, member_id);
ALTER TABLE credit_entries DROP CONSTRAINT credit_entries_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE care_benefits DROP CONSTRAINT care_benefits_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE meetings DROP CONSTRAINT meetings_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE meeting_attendance DROP CONSTRAINT meeting_attendance_pkey, ADD PRIMARY KEY (tenant_id, meeting_id, person_id);
ALTER TABLE orglife_settings DROP CONSTRAINT orglife_settings_pkey, ADD PRIMARY KEY (tenant_id, org_id);
ALTER TABLE courses DROP CONSTRAINT courses_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE course_reach DROP CONSTRAINT course_reach_pkey, ADD PRIMARY KEY (tenant_id, course_id, member_id);
ALTER TABLE quizzes DROP CONSTRAINT quizzes_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE quiz_attempts DROP CONSTRAINT quiz_attempts_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE care_redemptions DROP CONSTRAINT care_redemptions_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE departures DROP CONSTRAINT departures_pkey, ADD PRIMARY KEY (tenant_id, person_id);
ALTER TABLE party_discipline DROP CONSTRAINT party_discipline_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE org_credit_rules DROP CONSTRAINT org_credit_rules_pkey, ADD PRIMARY KEY (tenant_id, org_id);
ALTER TABLE objections DROP CONSTRAINT objections_pkey, ADD PRIMARY KEY (tenant_id, id);
ALTER TABLE images DROP CONSTRAINT images_pkey, ADD PRIMARY KEY (tenant_id, id);

-- 4. Unique keys too.
DROP INDEX dossiers_person;
CREATE UNIQUE INDEX dossiers_person ON dossiers (tenant_id, person_id);
DROP INDEX dossier_events_seq;
CREATE UNIQUE INDEX dossier_events_seq ON dossier_events (tenant_id, dossier_id, seq);
DROP INDEX contact_links_person;
CREATE UNIQUE INDEX contact_links_person ON contact_links (tenant_id, person_id);
DROP INDEX credit_entries_key;
CREATE UNIQUE INDEX credit_entries_key ON credit_entries (tenant_id, member_id, idempotency_key);
DROP INDEX quiz_attempts_once;
CREATE UNIQUE INDEX quiz_attempts_once ON quiz_attempts (tenant_id, quiz_id, member_id, attempt_no);
DROP INDEX care_redemptions_entry;
CREATE UNIQUE INDEX care_redemptions_entry ON care_redemptions (tenant_id, member_id, entry_key);
-- The same upsert targets as on SQLite (where they are extra unique indexes).
CREATE UNIQUE INDEX dev_settings_tenant ON dev_settings (tenant_id, org_id);
CREATE UNIQUE INDEX training_attendance_tenant ON training_attendance (tenant_id, class_id, person_id);
CREATE UNIQUE INDEX orglife_settings_tenant ON orglife_settings (tenant_id, org_id);
CREATE UNIQUE INDEX org_credit_rules_tenant_org ON org_credit_rules (tenant_id, org_id);

-- 5. On a Citus cluster (the extension is present), deployment-wide tables become
-- reference tables (a copy on every node: accounts, grants and the organisation tree are
-- read by every request, so a sign-in and a scope check stay local), sessions are spread
-- by their own key (a request's one lookup goes to one shard), and every tenant-owned table
-- is distributed by tenant_id, co-located with people.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
        PERFORM create_reference_table('pioneer_migrations');
        PERFORM create_reference_table('meta');
        PERFORM create_reference_table('organizations');
        PERFORM create_reference_table('users');
        PERFORM create_reference_table('grants');
        PERFORM create_distributed_table('sessions', 'id_hash', colocate_with => 'none');
        PERFORM create_distributed_table('people', 'tenant_id', colocate_with => 'none');
        PERFORM create_distributed_table('journal', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('journal_heads', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dossiers', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dossier_events', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dev_settings', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('training_classes', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('training_attendance', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('contact_links', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('contact_visits', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('credit_accounts', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('credit_entries', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('care_benefits', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('care_redemptions', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('meetings', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('meeting_attendance', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('orglife_settings', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('courses', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('course_reach', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('quiz_questions', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('quizzes', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('quiz_attempts', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('org_credit_rules', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('departures', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('party_discipline', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('objections', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('images', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

-- 6. Foreign keys within a tenant, on (tenant_id, …) (after the distribution: Citus
-- distributes a table only while no other table points at it).
ALTER TABLE dossiers ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE dossier_events ADD FOREIGN KEY (tenant_id, dossier_id) REFERENCES dossiers (tenant_id, id);
ALTER TABLE training_attendance ADD FOREIGN KEY (tenant_id, class_id) REFERENCES training_classes (tenant_id, id);
ALTER TABLE training_attendance ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE contact_links ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE contact_links ADD FOREIGN KEY (tenant_id, member_id) REFERENCES people (tenant_id, id);
ALTER TABLE contact_visits ADD FOREIGN KEY (tenant_id, link_id) REFERENCES contact_links (tenant_id, id);
ALTER TABLE credit_accounts ADD FOREIGN KEY (tenant_id, member_id) REFERENCES people (tenant_id, id);
ALTER TABLE credit_entries ADD FOREIGN KEY (tenant_id, member_id) REFERENCES credit_accounts (tenant_id, member_id);
ALTER TABLE meeting_attendance ADD FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings (tenant_id, id);
ALTER TABLE meeting_attendance ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE course_reach ADD FOREIGN KEY (tenant_id, course_id) REFERENCES courses (tenant_id, id);
ALTER TABLE course_reach ADD FOREIGN KEY (tenant_id, member_id) REFERENCES people (tenant_id, id);
ALTER TABLE quiz_attempts ADD FOREIGN KEY (tenant_id, quiz_id) REFERENCES quizzes (tenant_id, id);
ALTER TABLE quiz_attempts ADD FOREIGN KEY (tenant_id, member_id) REFERENCES people (tenant_id, id);
ALTER TABLE care_redemptions ADD FOREIGN KEY (tenant_id, benefit_id) REFERENCES care_benefits (tenant_id, id);
ALTER TABLE care_redemptions ADD FOREIGN KEY (tenant_id, member_id) REFERENCES people (tenant_id, id);
ALTER TABLE departures ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE party_discipline ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE objections ADD FOREIGN KEY (tenant_id, dossier_id) REFERENCES dossiers (tenant_id, id);
