-- Migration 23: the phone directory walked in name order (a search with a LIMIT stops after
-- the first matches instead of sorting every one).
CREATE INDEX directory_entries_name ON directory_entries (tenant_id, name);
