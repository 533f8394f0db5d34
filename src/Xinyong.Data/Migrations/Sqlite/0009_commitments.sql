-- Credit commitments (信用承诺): one row per commitment, from registration until fulfilled or its breach decided.
-- Dates are 'yyyy-MM-dd' text. A confirmed breach becomes a record (record_type 'commitment-breach') on the subject,
-- published through the same rules as every record; breach_record_id points to it.
CREATE TABLE commitments (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,             -- id in commitment-kinds.json
    kind_version    TEXT NOT NULL,             -- effectiveFrom of the kind version it was made under
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    department_id   INTEGER NOT NULL REFERENCES departments(id),   -- the department it is made to (registers, tracks, decides breach)
    channel         TEXT NOT NULL CHECK (channel IN ('form', 'file', 'api', 'online')),
    status          TEXT NOT NULL,             -- registered / published / fulfilled / breach-suspected / breach-confirmed / cleared
    content         TEXT NOT NULL,
    matter          TEXT,                      -- the administrative matter (审批事项) for notify-and-commit and incomplete applications
    legal_basis     TEXT NOT NULL,
    made_on         TEXT NOT NULL,
    due_on          TEXT,
    published_on    TEXT,
    fulfilled_on    TEXT,
    suspected_on    TEXT,
    suspicion_note  TEXT,
    confirmed_on    TEXT,
    breach_decision_number TEXT,
    breach_facts    TEXT,
    breach_basis    TEXT,
    breach_grade    TEXT,
    breach_record_id INTEGER REFERENCES records(id),
    cleared_on      TEXT,
    clear_note      TEXT,
    business_key    TEXT,                      -- idempotence of file and API registration, unique per department
    contact_name    TEXT,                      -- online commitments: never shown publicly
    contact_phone   TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_commitments_subject ON commitments(subject_id, status);
CREATE INDEX ix_commitments_department ON commitments(department_id, kind, status);
CREATE INDEX ix_commitments_kind ON commitments(kind, status, subject_id);
CREATE UNIQUE INDEX ux_commitments_business_key ON commitments(department_id, business_key) WHERE business_key IS NOT NULL;

-- Every step of a commitment, who took it and when.
CREATE TABLE commitment_events (
    id              INTEGER PRIMARY KEY,
    commitment_id   INTEGER NOT NULL REFERENCES commitments(id),
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    on_date         TEXT NOT NULL,
    note            TEXT,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX ix_commitment_events_commitment ON commitment_events(commitment_id, id);
