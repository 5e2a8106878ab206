-- Migration 18: a journal an insider cannot rewrite, and rows checked against it.
-- Each entry carries an authentication code of its hash under a journal key kept outside
-- the database (mac_key names the key's version; NULL for entries written before keys
-- existed, sealed once when the key file gains its journal key), and the digests of the
-- rows it wrote (`row_digests`: JSON [[table, id, digest], ...], covered by its hash).
ALTER TABLE journal ADD COLUMN mac_key BIGINT;
ALTER TABLE journal ADD COLUMN mac TEXT;
ALTER TABLE journal ADD COLUMN row_digests TEXT NOT NULL DEFAULT '';

-- A benefit's stock at creation, so `pioneer check` can hold its stock to it minus the
-- redemptions (nothing restocks or cancels a redemption).
ALTER TABLE care_benefits ADD COLUMN initial_stock BIGINT NOT NULL DEFAULT 0;
UPDATE care_benefits SET initial_stock = stock + (
    SELECT COUNT(*) FROM care_redemptions r WHERE r.tenant_id = care_benefits.tenant_id AND r.benefit_id = care_benefits.id
);
