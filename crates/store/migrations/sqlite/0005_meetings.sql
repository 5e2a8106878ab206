-- Organisational life: the meetings an organisation held, each with its 第一议题 item.
CREATE TABLE meetings (
    id BLOB PRIMARY KEY NOT NULL,
    tenant_id BLOB NOT NULL,
    org_id BLOB NOT NULL REFERENCES organizations (id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting', 'party_lecture',
        'theme_day', 'life_meeting', 'democratic_appraisal', 'concentrated_study', 'joint_study', 'exchange')),
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    first_topic TEXT,
    speaker TEXT,
    minutes TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_org ON meetings (org_id, held_on);
