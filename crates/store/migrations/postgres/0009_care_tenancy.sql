-- Care belongs to an organisation (issue 15): credit rules are set per organisation and
-- narrow those above it (the root organisation's are the deployment's defaults); the rules
-- of a tenant become its root organisation's. Benefits already carry their organisation.
CREATE TABLE org_credit_rules (
    org_id UUID PRIMARY KEY NOT NULL REFERENCES organizations (id),
    tenant_id UUID NOT NULL,
    rules TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX org_credit_rules_tenant ON org_credit_rules (tenant_id);
INSERT INTO org_credit_rules (org_id, tenant_id, rules, updated_at)
    SELECT c.tenant_id, c.tenant_id, c.rules, c.updated_at
    FROM credit_rules c JOIN organizations o ON o.id = c.tenant_id;
DROP TABLE credit_rules;
CREATE INDEX care_benefits_org ON care_benefits (tenant_id, org_id);
