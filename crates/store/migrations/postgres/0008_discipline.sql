-- 留党察看: a member's period of probation within the party and the decision that imposed
-- it. A member inside a period may not introduce or cultivate (DEV-006, DEV-014): the
-- standing captured for a dossier's introducers and contacts on such a day is "disciplined".
CREATE TABLE party_discipline (
    id UUID PRIMARY KEY NOT NULL,
    tenant_id UUID NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    from_on TEXT NOT NULL,
    until_on TEXT NOT NULL,
    decision TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX party_discipline_person ON party_discipline (person_id, from_on);
