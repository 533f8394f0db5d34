-- A credit check asks for a subject's publications of some record types, grades and decision dates (e.g. serious
-- penalties of the last 12 months). With those columns in the subject index the filter runs on the index entries, and
-- only the rows that can count are read from the table; the subject pages use the index by its first column as before.
DROP INDEX ix_publications_subject;
CREATE INDEX ix_publications_subject ON publications(subject_id, record_type, grade, decision_date);
