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
UPDATE care_benefits SET initial_stock = stock;
UPDATE care_benefits b SET initial_stock = b.stock + c.n
FROM (SELECT tenant_id, benefit_id, COUNT(*) AS n FROM care_redemptions GROUP BY tenant_id, benefit_id) c
WHERE c.tenant_id = b.tenant_id AND c.benefit_id = b.id;
