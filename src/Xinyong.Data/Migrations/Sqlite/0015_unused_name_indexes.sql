-- Two indexes that no query reads, dropped (the PostgreSQL migration 0017_unused_name_indexes.sql says why).
DROP INDEX ix_subjects_name_key;
DROP INDEX ix_subject_names_key;
