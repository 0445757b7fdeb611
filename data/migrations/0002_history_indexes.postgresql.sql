-- PostgreSQL only: rollback and the version lookups select referral_versions by import_id, and the
-- rejection history joins by it; without these a server store scans every version row. DuckDB needs
-- none (its zone maps serve these scans, and ART indexes would slow its bulk upserts), so version 2
-- has no DuckDB file and is recorded as applied there with nothing to do.
CREATE INDEX IF NOT EXISTS referral_versions_import ON referral_versions (import_id, action);
CREATE INDEX IF NOT EXISTS import_rejections_import ON import_rejections (import_id);
