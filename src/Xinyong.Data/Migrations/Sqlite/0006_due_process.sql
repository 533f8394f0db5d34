-- Due process: objections (异议) and credit repair (信用修复) with their step history, evidence and notices.
-- Workflow state lives on the case rows (status plus the stamps of each step); *_steps keep every move with its actor.
-- Dates are 'yyyy-MM-dd' text, timestamps ISO UTC text.
CREATE TABLE objections (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,      -- public case number the subject uses to look the case up
    subject_id        INTEGER NOT NULL REFERENCES subjects(id),
    target_kind       TEXT NOT NULL CHECK (target_kind IN ('record', 'list_entry', 'check_result')),
    target_id         INTEGER NOT NULL,
    department_id     INTEGER NOT NULL REFERENCES departments(id),  -- the department that provided the item
    channel           TEXT NOT NULL,             -- online / staff
    contact_name      TEXT NOT NULL,
    contact_phone     TEXT NOT NULL,
    claim             TEXT NOT NULL,
    filed_by          TEXT NOT NULL,
    rule_set          TEXT NOT NULL,             -- id of the due-process rule set in force on the filing day
    filed_on          TEXT NOT NULL,
    filed_at          TEXT NOT NULL,
    acknowledge_by    TEXT NOT NULL,
    verify_by         TEXT NOT NULL,
    decide_by         TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('filed', 'acknowledged', 'verified', 'decided')),
    acknowledged_at   TEXT,
    acknowledged_by   TEXT,
    verified_at       TEXT,
    verified_by       TEXT,
    verification_note TEXT,
    decided_at        TEXT,
    decided_by        TEXT,
    outcome           TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'partly_upheld', 'rejected')),
    reasons           TEXT,
    corrections       TEXT NOT NULL DEFAULT '[]',  -- JSON [{field, oldValue, newValue}]
    withdraw          INTEGER NOT NULL DEFAULT 0,
    corrected_version INTEGER,                   -- the record version the decision produced
    escalated_on      TEXT,
    updated_at        TEXT NOT NULL
);
CREATE INDEX ix_objections_target_open ON objections(target_kind, target_id) WHERE status <> 'decided';
CREATE INDEX ix_objections_department ON objections(department_id, status);
CREATE INDEX ix_objections_subject ON objections(subject_id, id DESC);

CREATE TABLE objection_steps (
    id              INTEGER PRIMARY KEY,
    objection_id    INTEGER NOT NULL REFERENCES objections(id),
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    note            TEXT,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX ix_objection_steps_case ON objection_steps(objection_id, id);

CREATE TABLE repair_applications (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    subject_id        INTEGER NOT NULL REFERENCES subjects(id),
    record_id         INTEGER NOT NULL REFERENCES records(id),
    department_id     INTEGER NOT NULL REFERENCES departments(id),  -- the department that made the finding (谁认定谁修复)
    channel           TEXT NOT NULL,
    contact_name      TEXT NOT NULL,
    contact_phone     TEXT NOT NULL,
    obligations_performed INTEGER NOT NULL,
    obligations_note  TEXT NOT NULL,
    commitment_made   INTEGER NOT NULL,
    commitment_text   TEXT NOT NULL,             -- the public credit commitment as the subject gave it
    submitted_by      TEXT NOT NULL,
    rule_set          TEXT NOT NULL,
    earliest_repair_date TEXT NOT NULL,
    submitted_on      TEXT NOT NULL,
    submitted_at      TEXT NOT NULL,
    accept_by         TEXT NOT NULL,
    decide_by         TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'approved', 'rejected')),
    accepted_at       TEXT,
    accepted_by       TEXT,
    decided_at        TEXT,
    decided_by        TEXT,
    reasons           TEXT,
    reapply_from      TEXT,
    escalated_on      TEXT,
    updated_at        TEXT NOT NULL
);
CREATE INDEX ix_repair_record ON repair_applications(record_id, id DESC);
CREATE INDEX ix_repair_department ON repair_applications(department_id, status);
CREATE INDEX ix_repair_subject ON repair_applications(subject_id, id DESC);
-- At most one application per record is being handled at a time.
CREATE UNIQUE INDEX ux_repair_open ON repair_applications(record_id) WHERE status IN ('submitted', 'accepted');

CREATE TABLE repair_steps (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES repair_applications(id),
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    note            TEXT,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX ix_repair_steps_case ON repair_steps(application_id, id);

-- Files attached to a case (proof of payment, rectification report, the department's evidence).
CREATE TABLE due_process_evidence (
    id              INTEGER PRIMARY KEY,
    case_kind       TEXT NOT NULL CHECK (case_kind IN ('objection', 'repair')),
    case_id         INTEGER NOT NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    content         BLOB NOT NULL,
    uploaded_by     TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL
);
CREATE INDEX ix_due_process_evidence_case ON due_process_evidence(case_kind, case_id, id);

-- What the platform tells: the subject (outcome), departments that received a repaired record, the credit office (escalation).
CREATE TABLE due_process_notices (
    id              INTEGER PRIMARY KEY,
    case_kind       TEXT NOT NULL CHECK (case_kind IN ('objection', 'repair')),
    case_id         INTEGER NOT NULL,
    recipient_kind  TEXT NOT NULL,             -- subject / department / credit-office
    department_id   INTEGER,
    kind            TEXT NOT NULL,             -- decided / repaired / escalated / correction
    text_zh         TEXT NOT NULL,
    text_en         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    read_at         TEXT
);
CREATE INDEX ix_due_process_notices_department ON due_process_notices(department_id, id DESC);
CREATE INDEX ix_due_process_notices_case ON due_process_notices(case_kind, case_id);

-- Which departments received which records through the exchange (staff API and workbench reads by a department):
-- when a record is repaired or corrected, these departments are told.
CREATE TABLE record_shares (
    record_id       INTEGER NOT NULL REFERENCES records(id),
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    first_shared_at TEXT NOT NULL,
    last_shared_at  TEXT NOT NULL,
    PRIMARY KEY (record_id, department_id)
);
