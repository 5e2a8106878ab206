-- Organisational life, study and the weekly quiz (issue 6): who attended each meeting, each
-- organisation's cadence settings, courses published to a subtree with their reach, the
-- versioned question bank, weekly quizzes with their attempts, the credit rules, and care
-- benefit budgets with redemption requests an organisation admin fulfils.
CREATE TABLE meeting_attendance (
    meeting_id UUID NOT NULL REFERENCES meetings (id),
    person_id UUID NOT NULL REFERENCES people (id),
    mark TEXT NOT NULL CHECK (mark IN ('present', 'absent', 'leave', 'online')),
    PRIMARY KEY (meeting_id, person_id)
);

CREATE TABLE orglife_settings (
    org_id UUID PRIMARY KEY NOT NULL REFERENCES organizations (id),
    tenant_id UUID NOT NULL,
    settings TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE courses (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    series TEXT NOT NULL,
    column_name TEXT NOT NULL,
    title TEXT NOT NULL,
    items TEXT NOT NULL,
    published_on TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX courses_tenant ON courses (tenant_id, published_on);

CREATE TABLE course_reach (
    course_id UUID NOT NULL REFERENCES courses (id),
    member_id UUID NOT NULL REFERENCES people (id),
    org_path TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    completed_at BIGINT,
    PRIMARY KEY (course_id, member_id)
);

CREATE TABLE quiz_questions (
    tenant_id UUID NOT NULL,
    qid BIGINT NOT NULL,
    version BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'true_false')),
    tag TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, qid, version)
);

CREATE TABLE quizzes (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    plan TEXT NOT NULL,
    seed BIGINT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    time_limit_s BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX quizzes_tenant ON quizzes (tenant_id, closes_at);

CREATE TABLE quiz_attempts (
    id UUID PRIMARY KEY NOT NULL,
    quiz_id UUID NOT NULL REFERENCES quizzes (id),
    member_id UUID NOT NULL REFERENCES people (id),
    org_path TEXT NOT NULL,
    attempt_no BIGINT NOT NULL,
    questions TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    submitted_at BIGINT,
    answers TEXT,
    points BIGINT,
    max_points BIGINT NOT NULL
);
CREATE UNIQUE INDEX quiz_attempts_once ON quiz_attempts (quiz_id, member_id, attempt_no);
CREATE INDEX quiz_attempts_path ON quiz_attempts (quiz_id, org_path);

CREATE TABLE credit_rules (
    tenant_id UUID PRIMARY KEY NOT NULL,
    rules TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The price of one unit (yuan) and the budget left (yuan): a redemption takes one unit of
-- stock and its price from the budget, or is refused.
ALTER TABLE care_benefits ADD COLUMN price BIGINT NOT NULL DEFAULT 0;
ALTER TABLE care_benefits ADD COLUMN budget BIGINT NOT NULL DEFAULT 0;

CREATE TABLE care_redemptions (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    benefit_id UUID NOT NULL REFERENCES care_benefits (id),
    member_id UUID NOT NULL REFERENCES people (id),
    entry_key TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    fulfilled_at BIGINT,
    fulfilled_by TEXT
);
CREATE UNIQUE INDEX care_redemptions_entry ON care_redemptions (member_id, entry_key);
CREATE INDEX care_redemptions_open ON care_redemptions (tenant_id, fulfilled_at);
