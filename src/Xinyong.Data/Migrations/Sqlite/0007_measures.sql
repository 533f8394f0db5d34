-- Joint rewards and punishments (联合奖惩): catalogue versions, subject roles, trigger -> response -> feedback, lenient rules.

-- Every imported version of the measure catalogue (the shipped starter catalogue applies while none is stored).
-- The latest row is in force; older rows stay for reproducing past answers.
CREATE TABLE measure_catalogues (
    id              INTEGER PRIMARY KEY,
    version         TEXT NOT NULL UNIQUE,
    issued_on       TEXT NOT NULL,
    measures        INTEGER NOT NULL,
    definition      TEXT NOT NULL,             -- the catalogue as JSON (MeasureCatalogue.ToJson)
    file_name       TEXT,
    file_sha256     TEXT,
    imported_by     TEXT NOT NULL,
    imported_at     TEXT NOT NULL
);

-- A natural person's role in an entity (legal representative, principal, actual controller): measures that extend to
-- the role reach the person through the entity's listings.
CREATE TABLE subject_roles (
    id              INTEGER PRIMARY KEY,
    entity_id       INTEGER NOT NULL REFERENCES subjects(id),
    person_id       INTEGER NOT NULL REFERENCES subjects(id),
    role            TEXT NOT NULL CHECK (role IN ('legal-representative', 'principal', 'actual-controller')),
    valid_from      TEXT NOT NULL,
    valid_until     TEXT,                      -- exclusive; NULL = still holds the role
    source          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_subject_roles_person ON subject_roles(person_id);
CREATE INDEX ix_subject_roles_entity ON subject_roles(entity_id);

-- Lenient handling (seed 001): minor-failing exemptions of one listing and force-majeure suspensions for a period.
CREATE TABLE lenient_rules (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('minor-exemption', 'force-majeure')),
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    list_entry_id   INTEGER REFERENCES list_entries(id),
    legal_basis     TEXT NOT NULL,
    reason          TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_until     TEXT,                      -- exclusive
    revoked_on      TEXT,
    revoke_reason   TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_lenient_rules_subject ON lenient_rules(subject_id);

-- A department's question "we are handling matter M for subject S", as asked and as answered.
CREATE TABLE measure_queries (
    id              INTEGER PRIMARY KEY,
    department_id   INTEGER NOT NULL REFERENCES departments(id),
    matter_kind     TEXT NOT NULL,
    matter_ref      TEXT,                      -- the department's own case number
    matter_title    TEXT,
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    subject_query   TEXT NOT NULL,             -- the code or name as asked (ID numbers masked)
    asked_on        TEXT NOT NULL,
    due_on          TEXT NOT NULL,             -- last working day for the report
    catalogue_version TEXT NOT NULL,
    items           INTEGER NOT NULL,          -- measures needing a report
    answered_items  INTEGER NOT NULL DEFAULT 0,
    answered_on     TEXT,                      -- when the last report came in
    asked_by        TEXT NOT NULL,
    asked_at        TEXT NOT NULL
);
CREATE INDEX ix_measure_queries_department ON measure_queries(department_id, asked_on);
CREATE INDEX ix_measure_queries_subject ON measure_queries(subject_id);

-- Each measure in the answer: what it is, the listings behind it, and the department's report.
CREATE TABLE measure_query_items (
    id              INTEGER PRIMARY KEY,
    query_id        INTEGER NOT NULL REFERENCES measure_queries(id),
    measure_id      TEXT NOT NULL,
    measure_from    TEXT NOT NULL,             -- EffectiveFrom of the measure version applied
    kind            TEXT NOT NULL,             -- reward / punishment
    text_zh         TEXT NOT NULL,
    legal_basis     TEXT NOT NULL,
    basis           TEXT NOT NULL,             -- JSON: the list entries behind it (id, type, subject, via role)
    withheld        INTEGER NOT NULL DEFAULT 0,
    lenient_rules   TEXT,                      -- JSON ids of the rules that withheld it
    applied         INTEGER,                   -- NULL until reported
    action_taken    TEXT,
    reason_not_applied TEXT,
    answered_on     TEXT,
    answered_by     TEXT,
    answered_at     TEXT,
    UNIQUE (query_id, measure_id)
);
