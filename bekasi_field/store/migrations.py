"""Versioned schema migrations (PRAGMA user_version). Steps run in one transaction each.

A new database runs every step from 0; an older one runs the steps it lacks. Version 1 is a
frozen SQL file; later versions are small functions. Never edit a released step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib.resources import files

_SCHEMA_DIR = files("bekasi_field.store") / "schema"  # package data, in a wheel as in a checkout


def _statements(sql: str) -> list[str]:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def _v1(conn: sqlite3.Connection) -> None:
    for stmt in _statements((_SCHEMA_DIR / "v1.sql").read_text(encoding="utf-8")):
        conn.execute(stmt)


def _v2(conn: sqlite3.Connection) -> None:
    # The verdict asks "has this household collected in this event?" on every scan.
    conn.execute(
        "CREATE INDEX IF NOT EXISTS ix_journal_event_household ON journal (event_id, household_id)"
    )


_COMPLAINTS = """
CREATE TABLE complaints (
    uuid VARCHAR NOT NULL, number VARCHAR NOT NULL, device_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL, created_at VARCHAR NOT NULL, officer_id VARCHAR NOT NULL,
    site VARCHAR NOT NULL, event_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL,
    household_id VARCHAR, nik VARCHAR NOT NULL, name VARCHAR NOT NULL,
    address VARCHAR NOT NULL, rt VARCHAR NOT NULL, rw VARCHAR NOT NULL,
    kelurahan VARCHAR NOT NULL, phone VARCHAR NOT NULL, category VARCHAR NOT NULL,
    note VARCHAR NOT NULL, signature VARCHAR NOT NULL, received_at VARCHAR,
    PRIMARY KEY (uuid), UNIQUE (device_id, seq), UNIQUE (number)
);
CREATE INDEX ix_complaints_household_id ON complaints (household_id);
CREATE INDEX ix_complaints_nik ON complaints (nik)
"""


def _complaints(conn: sqlite3.Connection) -> None:
    # Complaints / DTSEN update proposals of people turned away (domain.complaint_record).
    for stmt in _statements(_COMPLAINTS):
        conn.execute(stmt)


def _entry_signatures(conn: sqlite3.Connection) -> None:
    # Every entry is signed by its device's key; the public keys of the devices this desk
    # knows (itself included) sit beside them so `journal verify` checks every signature.
    conn.execute("ALTER TABLE journal ADD COLUMN signature VARCHAR")
    conn.execute("ALTER TABLE devices ADD COLUMN public_key VARCHAR")


def _event_kinds(conn: sqlite3.Connection) -> None:
    # Event kinds (enrolment, graduation) with their settings, workers selected per person,
    # the registry's occupation, a household's PKH graduation date, the entries' details.
    conn.execute("ALTER TABLE events ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'handover'")
    conn.execute("ALTER TABLE events ADD COLUMN params VARCHAR NOT NULL DEFAULT '{}'")
    conn.execute("ALTER TABLE members ADD COLUMN occupation VARCHAR NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE households ADD COLUMN pkh_graduated_on VARCHAR")
    # an enrolment's form / a graduation's note (domain.journal_entry: hashed only when set)
    conn.execute("ALTER TABLE journal ADD COLUMN details VARCHAR NOT NULL DEFAULT '{}'")
    # "is this worker enrolled already?" is asked by NIK on every enrolment check
    conn.execute("CREATE INDEX ix_journal_recipient_nik ON journal (recipient_nik)")
    conn.execute(
        "CREATE TABLE person_entitlements (id INTEGER NOT NULL, event_id VARCHAR NOT NULL, "
        "nik VARCHAR NOT NULL, household_id VARCHAR NOT NULL, item VARCHAR NOT NULL, "
        "amount INTEGER, rank INTEGER NOT NULL, reason VARCHAR NOT NULL, "
        "version INTEGER NOT NULL, PRIMARY KEY (id), UNIQUE (event_id, nik), "
        "FOREIGN KEY(event_id) REFERENCES events (id), "
        "FOREIGN KEY(household_id) REFERENCES households (id))")
    for col in ("nik", "event_id", "household_id"):
        conn.execute(f"CREATE INDEX ix_person_entitlements_{col} ON person_entitlements ({col})")


def _journal_redactions(conn: sqlite3.Connection) -> None:
    # Entries a retention purge stripped of personal fields (services/purge.py): the hash of
    # each as redacted, which `journal verify` checks in place of the entry hash.
    conn.execute("CREATE TABLE journal_redactions (uuid VARCHAR NOT NULL PRIMARY KEY, "
                 "rest_sha256 VARCHAR NOT NULL, redacted_at VARCHAR NOT NULL)")


STEPS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (1, _v1),
    (2, _v2),
    (3, _complaints),
    (4, _entry_signatures),
    (5, _event_kinds),
    (6, _journal_redactions),
]
LATEST = STEPS[-1][0]


def migrate(conn: sqlite3.Connection, current: int) -> int:
    """Bring a database (autocommit connection) from `current` to LATEST; returns LATEST."""
    for version, step in STEPS:
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return LATEST
