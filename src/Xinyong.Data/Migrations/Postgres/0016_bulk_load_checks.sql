-- Less work per row for the database server when a department's file is loaded (docs/benchmarks.md, "Ingest").
--
-- 1. records.data and record_history.data become text. The column holds the row as submitted, written by the ingest
--    with a JSON writer and read back whole; the json type only re-checked every row on arrival (`json_lex`, a seventh
--    of the writing backend's time in a bulk load). The few single-row writers (corrections, commitment breaches,
--    new versions) still cast their value to json, so it is checked there, and a reader that wants one field casts
--    the column (XinyongDatabase.JsonText). SQLite stores the same column as text already.
ALTER TABLE records ALTER COLUMN data TYPE text;
ALTER TABLE record_history ALTER COLUMN data TYPE text;

-- 2. The identifiers' key leads with the value: every look-up names the value (often across schemes), and the key
--    then also serves the look-up by value alone that a second index served, with the subject id included for
--    index-only reads. One B-tree less to insert into per identifier.
ALTER TABLE subject_identifiers DROP CONSTRAINT subject_identifiers_pkey;
ALTER TABLE subject_identifiers ADD PRIMARY KEY (value, scheme) INCLUDE (subject_id);
DROP INDEX ix_subject_identifiers_value;

-- 3. subject_identifiers and subject_names name their subject the way records do (migration 0015): checked once per
--    statement rather than by a per-row foreign key (one query and one row lock per identifier and per name of every
--    new subject). Subjects are never deleted nor renumbered (trigger subjects_are_kept), so the check is as safe.
--    The function now serves three tables: renamed for what it checks (the triggers of records follow it).
ALTER FUNCTION records_subjects_exist() RENAME TO referenced_subjects_exist;
CREATE OR REPLACE FUNCTION referenced_subjects_exist() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
DECLARE
    ids BIGINT[];
    missing BIGINT;
BEGIN
    SELECT array_agg(DISTINCT subject_id) INTO ids FROM written;
    IF ids IS NULL THEN
        RETURN NULL;
    END IF;
    IF (SELECT count(*) FROM subjects WHERE id = ANY (ids)) <> cardinality(ids) THEN
        SELECT i INTO missing FROM unnest(ids) AS i WHERE NOT EXISTS (SELECT 1 FROM subjects s WHERE s.id = i) LIMIT 1;
        RAISE EXCEPTION 'insert or update on table "%" violates the subject reference: subject % does not exist', TG_TABLE_NAME, missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER subject_identifiers_subjects_exist_insert AFTER INSERT ON subject_identifiers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION referenced_subjects_exist();
CREATE TRIGGER subject_identifiers_subjects_exist_update AFTER UPDATE ON subject_identifiers
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION referenced_subjects_exist();
CREATE TRIGGER subject_names_subjects_exist_insert AFTER INSERT ON subject_names
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION referenced_subjects_exist();
CREATE TRIGGER subject_names_subjects_exist_update AFTER UPDATE ON subject_names
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION referenced_subjects_exist();
ALTER TABLE subject_identifiers DROP CONSTRAINT subject_identifiers_subject_id_fkey;
ALTER TABLE subject_names DROP CONSTRAINT subject_names_subject_id_fkey;
