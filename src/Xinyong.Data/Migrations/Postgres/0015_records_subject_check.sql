-- Every record names a subject that exists: checked once per statement instead of once per row.
--
-- A foreign key checks each inserted row on its own: one query, one index probe and one row lock on subjects per
-- record, a quarter of the database server's CPU in a bulk ingest (docs/benchmarks.md, "Ingest"). The same rule is
-- kept here in two parts that together guarantee what the foreign key did:
--
-- 1. Subjects are never deleted and their ids never change (a subject's credit history is kept for as long as the
--    law says; a subject that ceases to exist is marked, not removed). A trigger refuses both, so an id that exists
--    once exists for good, and a record checked against it can never be left pointing at nothing.
-- 2. After each INSERT or UPDATE statement on records, the subject ids of the rows it wrote are looked up together
--    (one probe of the primary key per distinct id); a missing one fails the statement with SQLSTATE 23503
--    (foreign_key_violation), as the foreign key did. A COPY of 2,000 records is one statement and one look-up.
--
-- The look-up runs with sequential scans off: a statement writes a few thousand rows at most, and a plan made when
-- subjects was nearly empty must not scan it whole once it holds millions.

CREATE FUNCTION subjects_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'subject % cannot be deleted: subjects are kept with their history', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'subject % cannot change its id', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER subjects_are_kept BEFORE DELETE OR UPDATE OF id ON subjects
    FOR EACH ROW EXECUTE FUNCTION subjects_are_kept();

CREATE FUNCTION records_subjects_exist() RETURNS trigger LANGUAGE plpgsql
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
        RAISE EXCEPTION 'insert or update on table "records" violates the subject reference: subject % does not exist', missing
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER records_subjects_exist_insert AFTER INSERT ON records
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION records_subjects_exist();
CREATE TRIGGER records_subjects_exist_update AFTER UPDATE ON records
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION records_subjects_exist();

ALTER TABLE records DROP CONSTRAINT records_subject_id_fkey;
