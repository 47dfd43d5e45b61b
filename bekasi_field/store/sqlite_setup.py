"""Per-connection SQLite settings, in a module light enough for the import's writer process."""

from __future__ import annotations

import sqlite3

BUSY_TIMEOUT_MS = 10_000


def apply_pragmas(conn: sqlite3.Connection) -> None:
    """Per-connection settings: every commit is durable (synchronous=FULL) in WAL mode."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
