-- Foundation schema: member units, staff, subjects with identifiers, submissions, records with history, audit.
CREATE TABLE departments (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    aliases       TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'officer')),
    department_id INTEGER REFERENCES departments(id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);

CREATE TABLE subjects (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    uscc          TEXT UNIQUE,
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    legal_representative TEXT,
    division_code TEXT,
    industry      TEXT,
    created_by_submission INTEGER,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX ix_subjects_name_key ON subjects(name_key);

-- Every identifier a subject is known by: uscc, org (GB 11714), reg (GS 15), tax, inst, soc, idcard.
CREATE TABLE subject_identifiers (
    scheme        TEXT NOT NULL,
    value         TEXT NOT NULL,
    subject_id    INTEGER NOT NULL REFERENCES subjects(id),
    source        TEXT NOT NULL,
    PRIMARY KEY (scheme, value)
) WITHOUT ROWID;
CREATE INDEX ix_subject_identifiers_subject ON subject_identifiers(subject_id);
-- Batch resolution looks identifiers up by value across schemes (a code may be given in the wrong column).
CREATE INDEX ix_subject_identifiers_value ON subject_identifiers(value);

CREATE TABLE subject_names (
    subject_id    INTEGER NOT NULL REFERENCES subjects(id),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    is_current    INTEGER NOT NULL,
    first_seen    TEXT NOT NULL,
    PRIMARY KEY (subject_id, name_key)
) WITHOUT ROWID;
CREATE INDEX ix_subject_names_key ON subject_names(name_key);

CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    record_type   TEXT NOT NULL,
    channel       TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    file_size     INTEGER NOT NULL,
    stored_path   TEXT,
    actor         TEXT NOT NULL,
    status        TEXT NOT NULL,
    rows_done     INTEGER NOT NULL DEFAULT 0,
    rows_read     INTEGER NOT NULL DEFAULT 0,
    accepted      INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    new_versions  INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    subjects_created INTEGER NOT NULL DEFAULT 0,
    late          INTEGER NOT NULL DEFAULT 0,
    file_issues   TEXT NOT NULL DEFAULT '[]',
    error_zh      TEXT,
    error_en      TEXT,
    received_at   TEXT NOT NULL,
    started_at    TEXT,
    completed_at  TEXT
);
CREATE INDEX ix_submissions_department ON submissions(department_id, received_at);
CREATE INDEX ix_submissions_file ON submissions(department_id, record_type, file_sha256);

-- Current version of every record; earlier versions move to record_history before an update.
-- department_id and submission_id are not declared foreign keys: the ingest takes both from the submission it is
-- processing (whose department is a checked reference), and a bulk load would pay a parent look-up for each per row.
CREATE TABLE records (
    id            INTEGER PRIMARY KEY,
    record_type   TEXT NOT NULL,
    business_key  TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    subject_id    INTEGER NOT NULL REFERENCES subjects(id),
    version       INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    authority_name TEXT NOT NULL,
    authority_code TEXT,
    amount        NUMERIC,
    subject_name  TEXT NOT NULL,
    submission_id INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    lag_working_days INTEGER NOT NULL,
    data          TEXT NOT NULL,
    first_received_at TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    UNIQUE (record_type, business_key)
);
CREATE INDEX ix_records_subject ON records(subject_id, decision_date);
CREATE INDEX ix_records_department ON records(department_id, decision_date);

CREATE TABLE record_history (
    record_id     INTEGER NOT NULL REFERENCES records(id),
    version       INTEGER NOT NULL,
    content_hash  TEXT NOT NULL,
    subject_id    INTEGER NOT NULL,
    submission_id INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    data          TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    superseded_at TEXT NOT NULL,
    superseded_by_submission INTEGER NOT NULL,
    PRIMARY KEY (record_id, version)
) WITHOUT ROWID;

CREATE TABLE rejected_rows (
    submission_id INTEGER NOT NULL,
    row_number    INTEGER NOT NULL,
    reason_code   TEXT NOT NULL,
    field         TEXT NOT NULL,
    value         TEXT,
    reason_zh     TEXT NOT NULL,
    reason_en     TEXT NOT NULL,
    errors        TEXT NOT NULL,
    raw           TEXT NOT NULL,
    PRIMARY KEY (submission_id, row_number)
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    actor_kind    TEXT NOT NULL,
    department_id INTEGER,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT,
    detail        TEXT
);
CREATE INDEX ix_audit_at ON audit_log(at);

CREATE TABLE catalogue_entries (
    code          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (code, version)
);
