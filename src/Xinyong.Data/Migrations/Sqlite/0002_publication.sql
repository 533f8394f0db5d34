-- The public projection of records: what the publication rules decided for each record, and for how long.
-- A record without a row here has not been through the rules yet and is not public.
CREATE TABLE publications (
    record_id       INTEGER PRIMARY KEY REFERENCES records(id),
    record_type     TEXT NOT NULL,
    subject_id      INTEGER NOT NULL,
    department_id   INTEGER NOT NULL,
    subject_kind    TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    kinds           TEXT,                  -- penalty kinds (CF_CFLB) or licence category (XK_XKLB), for filters
    published       INTEGER NOT NULL,      -- 0 when the rules withhold the record from the public altogether
    withheld_reason TEXT,                  -- why it is withheld (natural-person, minor-grade ...)
    grade           TEXT,                  -- minor / general / serious (penalties)
    grade_source    TEXT,                  -- derived / department
    sector          TEXT,                  -- work-safety / fire-safety / special-equipment when a sector rule applied
    rule_set        TEXT NOT NULL,         -- id of the dated rule set in force on the decision date
    publish_from    TEXT NOT NULL,
    repair_from     TEXT,                  -- earliest date the subject may apply for credit repair
    publish_until   TEXT,                  -- first day the record is no longer shown; NULL = no end
    ended_on        TEXT,                  -- publication ended early (repair, withdrawal)
    ended_reason    TEXT,
    computed_at     TEXT NOT NULL
);
CREATE INDEX ix_publications_subject ON publications(subject_id);
CREATE INDEX ix_publications_column ON publications(record_type, decision_date DESC, record_id DESC);
CREATE INDEX ix_publications_department ON publications(department_id, record_type, decision_date DESC);

-- News, policy and notice pages managed by the credit office.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,           -- news / policy / notice
    title         TEXT NOT NULL,
    summary       TEXT,
    body          TEXT NOT NULL,           -- plain text with blank-line paragraphs
    source        TEXT,                    -- issuing body, e.g. 苏州市信用办
    published_on  TEXT,                    -- NULL while a draft
    status        TEXT NOT NULL,           -- draft / published / withdrawn
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX ix_articles_published ON articles(status, published_on DESC);
