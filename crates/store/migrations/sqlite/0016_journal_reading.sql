-- Migration 16: the auditor reads the journal newest first (filtered by date, account, action
-- or object), so a page is an index read however long the journal grows.
CREATE INDEX journal_at ON journal (at);
