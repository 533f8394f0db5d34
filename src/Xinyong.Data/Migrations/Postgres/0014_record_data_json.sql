-- records.data and record_history.data hold a department's row as it was submitted. They are read back whole (subject
-- pages, reports, objections) and now and then one field at a time (->>); nothing searches inside them or indexes
-- them. As json the text is stored as sent (keys in the order of the catalogue) and a bulk load only checks that it is
-- valid JSON, where jsonb rebuilt every row into its binary form: about an eighth of the database server's CPU in an
-- ingest of 250,000 rows (docs/benchmarks.md, "Ingest").
ALTER TABLE records ALTER COLUMN data TYPE json;
ALTER TABLE record_history ALTER COLUMN data TYPE json;
