-- Every question bank has an owner (issue 15): a question belongs to the organisation that
-- wrote it; lower organisations draw from the banks above them but cannot revise them.
-- The questions written before belong to their deployment's root organisation.
ALTER TABLE quiz_questions ADD COLUMN owner_id BLOB;
UPDATE quiz_questions SET owner_id = tenant_id;
CREATE INDEX quiz_questions_owner ON quiz_questions (tenant_id, owner_id);
