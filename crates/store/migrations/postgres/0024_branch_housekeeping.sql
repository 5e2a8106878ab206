-- Migration 24: branch housekeeping — party dues (a member's profiles by month, payments,
-- months excused with a reason, remittances upwards, online orders awaiting the payment
-- provider's confirmation), officers and the terms elections open, and the employer's staff
-- list (ID numbers sealed, found by keyed hash) with the to-dos its reconciliation found.
-- Born distributed by tenant.
CREATE TABLE dues_profiles (
    tenant_id UUID NOT NULL,
    person_id UUID NOT NULL,
    from_month TEXT NOT NULL,
    base_kind TEXT NOT NULL CHECK (base_kind IN ('wage', 'annual_salary', 'no_monthly_income', 'pension', 'fixed')),
    base_fen BIGINT NOT NULL CHECK (base_fen >= 0),
    fixed_category TEXT CHECK (fixed_category IS NULL OR fixed_category IN ('farmer', 'student', 'unemployed', 'relief', 'subsistence')),
    fixed_fen BIGINT,
    relief TEXT CHECK (relief IS NULL OR relief IN ('reduced', 'exempt')),
    relief_fen BIGINT,
    decision TEXT,
    decision_on TEXT,
    quarterly BOOLEAN NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, from_month)
);

CREATE TABLE dues_payments (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    person_id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    month TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    extra_fen BIGINT NOT NULL CHECK (extra_fen >= 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'transfer', 'online')),
    paid_on TEXT NOT NULL,
    receipt_no TEXT NOT NULL,
    provider_ref TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, receipt_no)
);
CREATE INDEX dues_payments_person ON dues_payments (tenant_id, person_id, month);
CREATE INDEX dues_payments_org ON dues_payments (org_path, month);

CREATE TABLE dues_excusals (
    tenant_id UUID NOT NULL,
    person_id UUID NOT NULL,
    month TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, month)
);

CREATE TABLE dues_remittances (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    month TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    remitted_on TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX dues_remittances_org ON dues_remittances (tenant_id, org_id, month);

CREATE TABLE dues_orders (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    person_id UUID NOT NULL,
    month TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
    extra_fen BIGINT NOT NULL CHECK (extra_fen >= 0),
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
    pay_url TEXT,
    payment_id UUID,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE officer_posts (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    person_id UUID NOT NULL,
    post TEXT NOT NULL CHECK (post IN ('secretary', 'deputy_secretary', 'committee_member')),
    since TEXT NOT NULL,
    until TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX officer_posts_org ON officer_posts (org_path, since);

CREATE TABLE org_terms (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    elected_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    postponed_to TEXT,
    decision TEXT,
    note TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, org_id, elected_on)
);
CREATE INDEX org_terms_org ON org_terms (org_path, elected_on);

CREATE TABLE staff_lists (
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    file_sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    keep_until TEXT NOT NULL,
    PRIMARY KEY (tenant_id, org_id)
);

CREATE TABLE staff_settings (
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL,
    keep_days BIGINT NOT NULL CHECK (keep_days BETWEEN 30 AND 1825),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, org_id)
);

CREATE TABLE staff_members (
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL,
    employee_no TEXT NOT NULL,
    name TEXT NOT NULL,
    id_card_enc BYTEA NOT NULL,
    id_card_idx BYTEA NOT NULL,
    department TEXT NOT NULL,
    post TEXT,
    key_post BOOLEAN NOT NULL,
    hired_on TEXT,
    left_on TEXT,
    says_member BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, org_id, employee_no)
);

CREATE TABLE staff_todos (
    tenant_id UUID NOT NULL,
    id UUID NOT NULL,
    org_id UUID NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('member_left', 'member_not_listed', 'member_elsewhere', 'department_changed', 'key_post_no_contact')),
    subject TEXT NOT NULL,
    employee_no TEXT,
    person_id UUID,
    name TEXT NOT NULL,
    detail TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dismissed', 'gone')),
    opened_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    decision TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, org_id, kind, subject)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM create_distributed_table('dues_profiles', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dues_payments', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dues_excusals', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dues_remittances', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('dues_orders', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('officer_posts', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('org_terms', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('staff_lists', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('staff_settings', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('staff_members', 'tenant_id', colocate_with => 'people');
        PERFORM create_distributed_table('staff_todos', 'tenant_id', colocate_with => 'people');
    END IF;
END
$$;

ALTER TABLE dues_profiles ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE dues_payments ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE dues_excusals ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE dues_orders ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE officer_posts ADD FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id);
ALTER TABLE staff_members ADD FOREIGN KEY (tenant_id, org_id) REFERENCES staff_lists (tenant_id, org_id);
