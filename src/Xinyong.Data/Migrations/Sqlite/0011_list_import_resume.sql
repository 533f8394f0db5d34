-- Bulk list imports resume after a crash like record ingestion: the rows whose outcome is committed (the checkpoint).
ALTER TABLE list_imports ADD COLUMN rows_done INTEGER NOT NULL DEFAULT 0;
UPDATE list_imports SET rows_done = rows_read;
CREATE INDEX ix_list_imports_resumable ON list_imports(department_id, list_type, file_sha256) WHERE status = 'processing';
