-- Two indexes that no query reads, dropped: every new subject paid for them in a bulk load (docs/benchmarks.md, "Ingest").
--
-- Names are searched in subject_names, current and former alike, by a contains match on the name key
-- (SubjectStore.SearchByNameAsync: name_key LIKE '%…%'), which a B-tree cannot serve; the public search keeps its own
-- index in memory (SubjectSearchIndex). A name key is otherwise only read together with its subject id, through the
-- primary key of subject_names. So neither the index on subjects.name_key nor the one on subject_names.name_key was
-- ever used, and each new subject inserted into both.
DROP INDEX ix_subjects_name_key;
DROP INDEX ix_subject_names_key;
