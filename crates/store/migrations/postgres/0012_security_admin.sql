-- Separated administrators (三员分立, issue 15): a security administrator grants roles.
ALTER TABLE grants DROP CONSTRAINT grants_role_check;
ALTER TABLE grants ADD CONSTRAINT grants_role_check
    CHECK (role IN ('system_admin', 'security_admin', 'org_admin', 'organiser', 'secretary', 'member', 'applicant', 'auditor'));
