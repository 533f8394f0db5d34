-- Lists, continued: the recorded end of the objection window, and bulk designation files (a department's push of
-- decisions, e.g. the court's judgment defaulters) with their rejected rows.
ALTER TABLE list_entries ADD COLUMN objection_closed_on TEXT;
ALTER TABLE list_entries ADD COLUMN objection_note TEXT;

CREATE TABLE list_imports (
    id              INTEGER PRIMARY KEY,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    list_type       TEXT NOT NULL,
    channel         TEXT NOT NULL,             -- cli / api / web
    file_name       TEXT NOT NULL,
    file_sha256     TEXT NOT NULL,
    file_size       INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    status          TEXT NOT NULL,             -- completed / failed
    rows_read       INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL DEFAULT 0,  -- new entries
    unchanged       INTEGER NOT NULL DEFAULT 0,  -- rows whose business key was already stored (re-sent)
    rejected        INTEGER NOT NULL DEFAULT 0,
    subjects_created INTEGER NOT NULL DEFAULT 0,
    error_zh        TEXT,
    error_en        TEXT,
    received_at     TEXT NOT NULL,
    completed_at    TEXT
);
CREATE INDEX ix_list_imports_department ON list_imports(department_id, id DESC);

CREATE TABLE list_import_rejects (
    import_id       INTEGER NOT NULL REFERENCES list_imports(id),
    row_number      INTEGER NOT NULL,
    field           TEXT NOT NULL,
    value           TEXT,
    reason_code     TEXT NOT NULL,
    reason_zh       TEXT NOT NULL,
    reason_en       TEXT NOT NULL,
    raw             TEXT NOT NULL,             -- the row as sent (JSON object, header -> cell)
    PRIMARY KEY (import_id, row_number)
) WITHOUT ROWID;
