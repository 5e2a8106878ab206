-- 学分 and 关怀: each member's credit account (the balance kept in step with the entries,
-- never below zero), the append-only entries with an idempotency key per member, and the
-- care benefits with their stock and budget.
CREATE TABLE credit_accounts (
    member_id UUID PRIMARY KEY NOT NULL REFERENCES people (id),
    tenant_id UUID NOT NULL,
    balance BIGINT NOT NULL CHECK (balance >= 0),
    version BIGINT NOT NULL
);

CREATE TABLE credit_entries (
    id UUID PRIMARY KEY NOT NULL,
    member_id UUID NOT NULL REFERENCES credit_accounts (member_id),
    idempotency_key TEXT NOT NULL,
    amount BIGINT NOT NULL,
    what TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX credit_entries_key ON credit_entries (member_id, idempotency_key);

CREATE TABLE care_benefits (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    cost BIGINT NOT NULL CHECK (cost > 0),
    stock BIGINT NOT NULL CHECK (stock >= 0),
    created_at BIGINT NOT NULL
);
