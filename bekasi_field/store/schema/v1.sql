-- Schema version 1 (frozen: never edit; add a migration step instead).
CREATE TABLE households (
	id VARCHAR NOT NULL, 
	no_kk VARCHAR NOT NULL, 
	address VARCHAR NOT NULL, 
	rt VARCHAR NOT NULL, 
	rw VARCHAR NOT NULL, 
	kelurahan VARCHAR NOT NULL, 
	kecamatan VARCHAR NOT NULL, 
	desil INTEGER, 
	programs VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	kks_card VARCHAR, 
	content_hash VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE events (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	programme VARCHAR NOT NULL, 
	site_kelurahan VARCHAR NOT NULL, 
	served_kelurahan VARCHAR NOT NULL, 
	start_date DATE NOT NULL, 
	end_date DATE NOT NULL, 
	item VARCHAR NOT NULL, 
	amount INTEGER, 
	require_photo BOOLEAN NOT NULL, 
	require_signature BOOLEAN NOT NULL, 
	allow_proxy BOOLEAN NOT NULL, 
	status VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE journal (
	uuid VARCHAR NOT NULL, 
	device_id VARCHAR NOT NULL, 
	seq INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	event_id VARCHAR NOT NULL, 
	household_id VARCHAR NOT NULL, 
	officer_id VARCHAR NOT NULL, 
	site VARCHAR NOT NULL, 
	recipient_nik VARCHAR, 
	recipient_name VARCHAR, 
	is_proxy BOOLEAN NOT NULL, 
	proxy_name VARCHAR, 
	proxy_nik VARCHAR, 
	proxy_relationship VARCHAR, 
	proxy_letter_seen BOOLEAN NOT NULL, 
	identity VARCHAR NOT NULL, 
	evidence VARCHAR NOT NULL, 
	code_kind VARCHAR NOT NULL, 
	scanned_code VARCHAR NOT NULL, 
	verdict VARCHAR NOT NULL, 
	override_by VARCHAR, 
	voids_uuid VARCHAR, 
	reason VARCHAR, 
	created_at VARCHAR NOT NULL, 
	prev_hash VARCHAR NOT NULL, 
	hash VARCHAR NOT NULL, 
	received_at VARCHAR, 
	PRIMARY KEY (uuid), 
	UNIQUE (device_id, seq), 
	UNIQUE (hash)
);

CREATE TABLE officers (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	pin_hash VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	failed_attempts INTEGER NOT NULL, 
	locked_until VARCHAR, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE devices (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	site_kelurahan VARCHAR NOT NULL, 
	is_self BOOLEAN NOT NULL, 
	created_at VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE issuer_keys (
	key_id VARCHAR NOT NULL, 
	public_key VARCHAR NOT NULL, 
	valid_from DATE NOT NULL, 
	valid_to DATE NOT NULL, 
	revoked BOOLEAN NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (key_id)
);

CREATE TABLE revoked_slips (
	slip_serial VARCHAR NOT NULL, 
	reason VARCHAR NOT NULL, 
	revoked_at VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (slip_serial)
);

CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE members (
	nik VARCHAR NOT NULL, 
	household_id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	name_norm VARCHAR NOT NULL, 
	relationship VARCHAR NOT NULL, 
	sex VARCHAR NOT NULL, 
	birth_date DATE, 
	is_recipient BOOLEAN NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (nik), 
	FOREIGN KEY(household_id) REFERENCES households (id)
);

CREATE TABLE entitlements (
	id INTEGER NOT NULL, 
	event_id VARCHAR NOT NULL, 
	household_id VARCHAR NOT NULL, 
	item VARCHAR NOT NULL, 
	amount INTEGER, 
	slip_serial VARCHAR NOT NULL, 
	version INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (event_id, household_id), 
	FOREIGN KEY(event_id) REFERENCES events (id), 
	FOREIGN KEY(household_id) REFERENCES households (id), 
	UNIQUE (slip_serial)
);

CREATE INDEX ix_households_kelurahan ON households (kelurahan);

CREATE INDEX ix_households_kks_card ON households (kks_card);

CREATE INDEX ix_households_no_kk ON households (no_kk);

CREATE INDEX ix_journal_household_id ON journal (household_id);

CREATE INDEX ix_journal_device_id ON journal (device_id);

CREATE INDEX ix_journal_event_id ON journal (event_id);

CREATE INDEX ix_members_household_id ON members (household_id);

CREATE INDEX ix_members_name_norm ON members (name_norm);

CREATE INDEX ix_entitlements_household_id ON entitlements (household_id);

CREATE INDEX ix_entitlements_event_id ON entitlements (event_id);
