"""A `journal` view over the hub's journal, so the report services written for a desk's
`journal` table (BAST, XLSX recap, remaining households) run unchanged on the hub's engine.

A void held for review (hub/held_voids.py) is left out of the view until a supervisor accepts
it: until then it changes no count, as it changes no verdict at the desks."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from bekasi_field.hub.models import HubHeldVoid, HubJournal
from bekasi_field.store.models import JournalEntry

VIEW = "journal"
# Marks the view's current definition (an older view without it is replaced).
_HELD = HubHeldVoid.__tablename__


def _columns() -> list[str]:
    hub = set(HubJournal.__table__.columns.keys())
    return [c.name for c in SQLModel.metadata.tables[JournalEntry.__tablename__].columns
            if c.name in hub]


def ensure_journal_view(conn: Connection) -> None:
    """Create (or refresh, when the journal's columns grew) the view; never over a real table."""
    insp = inspect(conn)
    if VIEW in insp.get_table_names():
        return  # a real journal table (a desk database opened as a hub): leave it alone
    cols = ", ".join(_columns())
    if VIEW in insp.get_view_names():
        have = [c["name"] for c in insp.get_columns(VIEW)]
        if have == _columns() and _HELD in (insp.get_view_definition(VIEW) or ""):
            return
        conn.execute(text(f"DROP VIEW {VIEW}"))
    conn.execute(text(
        f"CREATE VIEW {VIEW} AS SELECT {cols} FROM {HubJournal.__tablename__} "
        f"WHERE uuid NOT IN (SELECT void_uuid FROM {_HELD} WHERE status <> 'accepted')"))
