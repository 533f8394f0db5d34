-- Credit reports (信用报告): requests from subjects, issued reports with their content hash, and a per-day sequence
-- for report numbers (XY-yyyyMMdd-NNNNN-C). Dates are 'yyyy-MM-dd' text, timestamps ISO text (UTC).
CREATE TABLE report_requests (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,      -- shown to the applicant (SQ…)
    token_hash      TEXT NOT NULL,             -- SHA-256 of the applicant's retrieval token (the token itself is never stored)
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    subject_name    TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('public', 'purpose')),
    purpose_id      TEXT,
    applicant_name  TEXT NOT NULL,
    contact         TEXT NOT NULL,
    usage           TEXT NOT NULL,
    status          TEXT NOT NULL,             -- Requested / Issued / Rejected
    requested_at    TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      TEXT,
    reject_reason   TEXT,
    report_number   TEXT
);
CREATE INDEX ix_report_requests_status ON report_requests(status, requested_at);
CREATE INDEX ix_report_requests_requested ON report_requests(requested_at);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    request_id      INTEGER REFERENCES report_requests(id),
    subject_id      INTEGER NOT NULL REFERENCES subjects(id),
    kind            TEXT NOT NULL,
    purpose_id      TEXT,
    issue_date      TEXT NOT NULL,
    content         TEXT NOT NULL,             -- canonical JSON (Xinyong.Core.Reports.CanonicalJson)
    content_sha256  TEXT NOT NULL,             -- SHA-256 of content's UTF-8 bytes, lower-case hex
    pdf             BLOB NOT NULL,             -- the PDF exactly as issued
    pdf_sha256      TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    issued_at       TEXT NOT NULL
);
CREATE INDEX ix_reports_issue_date ON reports(issue_date);
CREATE INDEX ix_reports_pdf ON reports(pdf_sha256);
CREATE INDEX ix_reports_subject ON reports(subject_id);

CREATE TABLE report_sequences (
    day             TEXT PRIMARY KEY,
    last            INTEGER NOT NULL
);
