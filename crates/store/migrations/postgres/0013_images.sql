-- Course images stored by pioneer (issue 15): checked by type and size on upload, served from
-- the site so the content security policy allows images from the site only.
CREATE TABLE images (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES organizations (id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    bytes BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX images_tenant ON images (tenant_id, created_at);
