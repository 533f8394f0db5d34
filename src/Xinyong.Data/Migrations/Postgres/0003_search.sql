-- Subject search (src/Xinyong.Data/Search). The in-memory name index refreshes from the subjects changed since its
-- last load (updated_at), and an organisation code also finds subjects known only by their credit code, whose
-- positions 9-17 are the organisation code.
CREATE INDEX ix_subjects_updated_at ON subjects(updated_at);
CREATE INDEX ix_subjects_uscc_org ON subjects(substr(uscc, 9, 9));
