-- Lists (红名单 / 黑名单 / 重点关注名单): one row per designation, from proposal to exit.
-- An entry is ACTIVE on day d iff status = 'published' AND listed_from <= d AND (listed_until IS NULL OR listed_until > d)
-- (the one predicate lives in Xinyong.Data.Lists.ListEntries.ActivePredicate). Dates are 'yyyy-MM-dd' text.
CREATE TABLE list_entries (
    id              INTEGER PRIMARY KEY,
    list_type       TEXT NOT NULL,             -- id in list-types.json
    type_version    TEXT NOT NULL,             -- effectiveFrom of the type version the entry was made under
    kind            TEXT NOT NULL CHECK (kind IN ('red', 'black', 'watch')),
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    department_id   INTEGER NOT NULL REFERENCES departments(id),   -- designating department
    status          TEXT NOT NULL,             -- proposed / noticed / decided / published / suspended / ended / removed / dropped
    legal_basis     TEXT NOT NULL,
    grounds         TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    decision_number TEXT,
    proposed_on     TEXT NOT NULL,
    noticed_on      TEXT,
    objection_until TEXT,                      -- last day of the objection window (inclusive)
    decided_on      TEXT,
    listed_from     TEXT,
    listed_until    TEXT,                      -- exclusive end; NULL = until exit
    ended_on        TEXT,
    ended_reason    TEXT,                      -- period-end / exit-conditions / repaired / decision / black-listed / ...
    source_record_id INTEGER,                  -- the record behind the finding; repairing it ends the entry
    business_key    TEXT,                      -- idempotence of bulk designation, unique per department and type
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_list_entries_subject ON list_entries(subject_id, status);
CREATE INDEX ix_list_entries_public ON list_entries(kind, status, listed_from DESC, id DESC);
CREATE INDEX ix_list_entries_department ON list_entries(department_id, status);
CREATE INDEX ix_list_entries_source ON list_entries(source_record_id) WHERE source_record_id IS NOT NULL;
CREATE UNIQUE INDEX ux_list_entries_business_key ON list_entries(department_id, list_type, business_key) WHERE business_key IS NOT NULL;

-- Every step of a designation, who took it and when (the audit log holds the same, this is the entry's own history).
CREATE TABLE list_entry_events (
    id              INTEGER PRIMARY KEY,
    entry_id        INTEGER NOT NULL REFERENCES list_entries(id),
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    on_date         TEXT NOT NULL,
    note            TEXT,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX ix_list_entry_events_entry ON list_entry_events(entry_id, id);

-- Notices the platform sends: to the subject (grounds and rights), to departments (a red entry suspended because of a
-- black listing), removal notices of red/yellow cards.
CREATE TABLE list_notices (
    id              INTEGER PRIMARY KEY,
    entry_id        INTEGER NOT NULL REFERENCES list_entries(id),
    recipient_kind  TEXT NOT NULL,             -- subject / department
    department_id   INTEGER,                   -- when sent to a department
    kind            TEXT NOT NULL,             -- designation-notice / red-suspended / removal
    text_zh         TEXT NOT NULL,
    text_en         TEXT NOT NULL,
    caused_by_entry INTEGER,                   -- e.g. the black entry that suspended a red one
    created_at      TEXT NOT NULL,
    read_at         TEXT
);
CREATE INDEX ix_list_notices_department ON list_notices(department_id, id DESC);
CREATE INDEX ix_list_notices_entry ON list_notices(entry_id);
