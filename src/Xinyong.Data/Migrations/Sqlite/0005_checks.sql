-- Credit checks (信用核查): purposes as versioned data, every run with what it ran against, every row's answer and reasons.
-- A purpose edit adds a version; runs name the version and the definition's hash, so a run can be re-run under the same
-- rules and explained later (e.g. in an objection).
CREATE TABLE check_purposes (
    id            TEXT NOT NULL,
    version       INTEGER NOT NULL,
    definition    TEXT NOT NULL,             -- the purpose JSON (rules), compact
    hash          TEXT NOT NULL,             -- sha256 of definition
    note          TEXT,                      -- why it was changed
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE check_runs (
    id            INTEGER PRIMARY KEY,
    purpose_id    TEXT NOT NULL,
    purpose_version INTEGER NOT NULL,
    rule_hash     TEXT NOT NULL,
    check_date    TEXT NOT NULL,             -- the day the rules were applied for (lists in force, periods counted back from it)
    mode          TEXT NOT NULL CHECK (mode IN ('single', 'batch')),
    reference     TEXT,                      -- the matter the check is for (e.g. 2020年度稳岗返还第一批)
    input_name    TEXT,                      -- uploaded file name
    input_sha256  TEXT,
    input_path    TEXT,                      -- stored upload (batch), for a background job to (re)start from
    data_version  TEXT,                      -- JSON watermarks of the data the run read
    status        TEXT NOT NULL,             -- queued / running / done / failed
    phase         TEXT,
    rows_total    INTEGER NOT NULL DEFAULT 0,
    rows_done     INTEGER NOT NULL DEFAULT 0,
    passed        INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    review        INTEGER NOT NULL DEFAULT 0,
    not_found     INTEGER NOT NULL DEFAULT 0,
    ambiguous     INTEGER NOT NULL DEFAULT 0,
    options       TEXT,                      -- name matching thresholds used
    actor         TEXT NOT NULL,
    actor_kind    TEXT NOT NULL,
    department_id INTEGER,
    rerun_of      INTEGER,
    error_zh      TEXT,
    error_en      TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    completed_at  TEXT,
    elapsed_ms    INTEGER
);
CREATE INDEX ix_check_runs_created ON check_runs(created_at);
CREATE INDEX ix_check_runs_department ON check_runs(department_id, id DESC);

CREATE TABLE check_results (
    id            INTEGER PRIMARY KEY,             -- what an objection against a check result names (objections.target_id)
    run_id        INTEGER NOT NULL REFERENCES check_runs(id),
    row_number    INTEGER NOT NULL,
    input_code    TEXT,
    input_name    TEXT,
    subject_id    INTEGER,
    subject_name  TEXT,
    uscc          TEXT,
    match_method  TEXT NOT NULL,             -- code / legacy_code / name / none
    match_scheme  TEXT,                      -- uscc, org, reg, ... for codes; the name reason code for names
    match_score   REAL,
    match_note    TEXT,
    outcome       TEXT NOT NULL,             -- pass / fail / review / not_found / ambiguous
    reasons       TEXT NOT NULL,             -- JSON array of reasons (rule, evidence kind and id, texts)
    UNIQUE (run_id, row_number)
);
CREATE INDEX ix_check_results_subject ON check_results(subject_id) WHERE subject_id IS NOT NULL;
