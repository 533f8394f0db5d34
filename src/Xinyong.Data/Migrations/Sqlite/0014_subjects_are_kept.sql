-- Subjects are never deleted and their ids never change: a subject's credit history is kept for as long as the law
-- says, and a subject that ceases to exist is marked, not removed. PostgreSQL enforces the same rule (its migration
-- 0015), where it lets the subject reference of records be checked once per statement instead of once per row.
CREATE TRIGGER subjects_are_kept_delete BEFORE DELETE ON subjects
BEGIN
    SELECT RAISE(ABORT, 'subjects cannot be deleted: subjects are kept with their history');
END;

CREATE TRIGGER subjects_are_kept_id BEFORE UPDATE OF id ON subjects WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT RAISE(ABORT, 'a subject cannot change its id');
END;
