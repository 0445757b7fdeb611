-- The store's tables as the version before migrations created them (lazily, CREATE TABLE IF NOT EXISTS),
-- so that a store written by that version opens unchanged and is recorded at version 1.
-- Portable SQL: the same text runs on DuckDB and PostgreSQL (DOUBLE PRECISION is DuckDB's DOUBLE).

CREATE TABLE IF NOT EXISTS referrals (
  referral_id VARCHAR,
  person_id VARCHAR,
  referral_date DATE,
  age_years INTEGER,
  antenatal BOOLEAN,
  sex VARCHAR,
  ethnic_category VARCHAR,
  lsoa_code VARCHAR,
  postcode VARCHAR,
  referral_source VARCHAR,
  service VARCHAR,
  team_type VARCHAR,
  support_element INTEGER,
  first_contact_date DATE,
  discharge_date DATE,
  outcome_measure VARCHAR,
  score_start DOUBLE PRECISION,
  score_end DOUBLE PRECISION,
  plus_flags VARCHAR,
  lsoa21_code VARCHAR,
  lsoa11_code VARCHAR,
  geography_method VARCHAR,
  PRIMARY KEY (referral_id)
);

CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- imports (data/imports.py): history, rejected-row counts and what each import replaced
CREATE TABLE IF NOT EXISTS imports (
  import_id INTEGER PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR, sha256 VARCHAR, rows_read BIGINT,
  accepted BIGINT, rejected BIGINT, inserted BIGINT, updated BIGINT, unchanged BIGINT, demo_removed BIGINT,
  outside_lsc BIGINT, approximate_geography BIGINT, status VARCHAR, rolled_back_at TIMESTAMP, meta_before VARCHAR
);

CREATE TABLE IF NOT EXISTS import_rejections (import_id INTEGER, column_name VARCHAR, reason VARCHAR, rows BIGINT);

-- an import id, what the import did to the row, then the columns of referrals (their types, no key)
CREATE TABLE IF NOT EXISTS referral_versions AS
  SELECT CAST(NULL AS INTEGER) AS import_id, CAST(NULL AS VARCHAR) AS action, referrals.* FROM referrals WHERE false;

-- the audit trail (data/audit.py)
CREATE TABLE IF NOT EXISTS audit_log (
  event_id BIGINT PRIMARY KEY, at_utc TIMESTAMP, user_id VARCHAR, user_name VARCHAR, action VARCHAR, detail VARCHAR
);

-- the provision matrix (equity/provision.py)
CREATE TABLE IF NOT EXISTS provision_cells (
  place VARCHAR NOT NULL, support_element INTEGER NOT NULL, status VARCHAR NOT NULL, note VARCHAR, source VARCHAR,
  updated_by VARCHAR, updated_at TIMESTAMP, PRIMARY KEY (place, support_element)
);

CREATE TABLE IF NOT EXISTS provision_history (
  change_id INTEGER PRIMARY KEY, changed_at TIMESTAMP, changed_by VARCHAR, action VARCHAR, place VARCHAR,
  support_element INTEGER, old_status VARCHAR, new_status VARCHAR, old_note VARCHAR, new_note VARCHAR,
  old_source VARCHAR, new_source VARCHAR
);

-- user sites (equity/sites.py)
CREATE TABLE IF NOT EXISTS service_sites (
  site_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, site_type VARCHAR NOT NULL, support_elements VARCHAR,
  postcode VARCHAR NOT NULL, easting DOUBLE PRECISION, northing DOUBLE PRECISION, lsoa21_code VARCHAR,
  origin VARCHAR, added_by VARCHAR, added_at TIMESTAMP, active BOOLEAN NOT NULL, removed_by VARCHAR,
  removed_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS site_history (
  change_id INTEGER PRIMARY KEY, changed_at TIMESTAMP, changed_by VARCHAR, action VARCHAR, site_id INTEGER,
  name VARCHAR, site_type VARCHAR, postcode VARCHAR, detail VARCHAR
);

-- the PLUS groups each Place counts (equity/plus.py): a setting, with its history
CREATE TABLE IF NOT EXISTS plus_groups (place VARCHAR, group_key VARCHAR, PRIMARY KEY (place, group_key));

CREATE TABLE IF NOT EXISTS plus_groups_history (
  changed_at TIMESTAMP, place VARCHAR, changed_by VARCHAR, old_groups VARCHAR, new_groups VARCHAR
);
