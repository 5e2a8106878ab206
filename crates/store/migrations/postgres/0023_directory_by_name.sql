-- Migration 23: the phone directory walked in name order (a search with a LIMIT stops after
-- the first matches instead of sorting every one). On an already distributed table the
-- index is created one command at a time.
DO $$
BEGIN
    EXECUTE 'CREATE INDEX directory_entries_name ON directory_entries (tenant_id, name)';
END
$$;
