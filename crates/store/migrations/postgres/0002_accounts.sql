-- Accounts, roles granted on organisations, and login sessions.
CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_changed_at BIGINT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until BIGINT,
    person_id UUID REFERENCES people (id),
    disabled BOOLEAN NOT NULL,
    -- The TOTP secret (sealed like ID numbers), whether enrolment was confirmed, and the
    -- SHA-256 hashes of unused recovery codes (a JSON array).
    totp_secret_enc BYTEA,
    totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    -- The last 30-second step whose code was accepted: a code works once.
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    recovery_codes TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

-- A role on an organisation reaches its subtree; without an organisation (system
-- administrators, auditors) it reaches the whole deployment.
CREATE TABLE grants (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('system_admin', 'org_admin', 'organiser', 'secretary', 'member', 'applicant', 'auditor')),
    org_id UUID REFERENCES organizations (id)
);
CREATE INDEX grants_user ON grants (user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    -- False until the second factor is given (when the account needs one).
    second_factor_ok BOOLEAN NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
