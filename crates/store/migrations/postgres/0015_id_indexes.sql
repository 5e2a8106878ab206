-- Lookups by the old keys stay index lookups (issue 18): migration 14 made every key begin
-- with the tenant, so a query by id alone (an administrator's, a whole-deployment screening
-- read in id order, a store method not told the tenant) would read the whole table. Plain
-- indexes on the old keys keep them fast; on a Citus cluster each shard has its own.
-- One statement each inside a block: Citus refuses several CREATE INDEX in one query string
-- (it forwards the string to the workers as a prepared statement).
DO $$
BEGIN
    EXECUTE 'CREATE INDEX people_id ON people (id)';
    EXECUTE 'CREATE INDEX dossiers_id ON dossiers (id)';
    EXECUTE 'CREATE INDEX dossiers_person_id ON dossiers (person_id)';
    EXECUTE 'CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, seq)';
    EXECUTE 'CREATE INDEX dev_settings_org ON dev_settings (org_id)';
    EXECUTE 'CREATE INDEX training_classes_id ON training_classes (id)';
    EXECUTE 'CREATE INDEX training_attendance_class ON training_attendance (class_id, person_id)';
    EXECUTE 'CREATE INDEX contact_links_id ON contact_links (id)';
    EXECUTE 'CREATE INDEX contact_links_person_id ON contact_links (person_id)';
    EXECUTE 'CREATE INDEX credit_accounts_member ON credit_accounts (member_id)';
    EXECUTE 'CREATE INDEX credit_entries_member ON credit_entries (member_id, idempotency_key)';
    EXECUTE 'CREATE INDEX care_benefits_id ON care_benefits (id)';
    EXECUTE 'CREATE INDEX care_redemptions_id ON care_redemptions (id)';
    EXECUTE 'CREATE INDEX care_redemptions_member ON care_redemptions (member_id, entry_key)';
    EXECUTE 'CREATE INDEX meetings_id ON meetings (id)';
    EXECUTE 'CREATE INDEX meeting_attendance_meeting ON meeting_attendance (meeting_id, person_id)';
    EXECUTE 'CREATE INDEX orglife_settings_org ON orglife_settings (org_id)';
    EXECUTE 'CREATE INDEX courses_id ON courses (id)';
    EXECUTE 'CREATE INDEX course_reach_course ON course_reach (course_id, member_id)';
    EXECUTE 'CREATE INDEX quizzes_id ON quizzes (id)';
    EXECUTE 'CREATE INDEX quiz_attempts_id ON quiz_attempts (id)';
    EXECUTE 'CREATE INDEX quiz_attempts_member ON quiz_attempts (quiz_id, member_id, attempt_no)';
    EXECUTE 'CREATE INDEX departures_person ON departures (person_id)';
    EXECUTE 'CREATE INDEX party_discipline_id ON party_discipline (id)';
    EXECUTE 'CREATE INDEX org_credit_rules_org ON org_credit_rules (org_id)';
    EXECUTE 'CREATE INDEX objections_id ON objections (id)';
    EXECUTE 'CREATE INDEX images_id ON images (id)';
END
$$;
