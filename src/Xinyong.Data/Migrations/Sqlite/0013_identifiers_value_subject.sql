-- A credit check looks thousands of codes up at once and needs of each identifier only its subject and scheme. With
-- subject_id in the value index (the scheme, part of the primary key, is in every index of this WITHOUT ROWID table),
-- a look-up reads the index alone and not the identifier row as well.
DROP INDEX ix_subject_identifiers_value;
CREATE INDEX ix_subject_identifiers_value ON subject_identifiers(value, subject_id);
