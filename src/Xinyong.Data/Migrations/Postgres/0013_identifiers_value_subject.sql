-- A credit check looks thousands of codes up at once and needs of each identifier only its subject and scheme. With
-- both carried in the value index, a look-up can be answered from the index alone (an index-only scan).
DROP INDEX ix_subject_identifiers_value;
CREATE INDEX ix_subject_identifiers_value ON subject_identifiers(value) INCLUDE (scheme, subject_id);
