-- Migration 15 adds PostgreSQL indexes on the keys migration 14 began with the tenant; the
-- SQLite keys did not change, so nothing is needed here.
SELECT 1;
