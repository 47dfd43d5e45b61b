"""The hub's registry follows PKH graduations: households.pkh_graduated_on (the ISO time) from the journal.

Called in the same write transaction as the push (or bundle import) that stored the entries:
a graduation sets the date, a void of one clears it unless another live graduation remains.
Then the households are restamped, so every desk gets the status with its next snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from bekasi_field.hub.models import HubJournal
from bekasi_field.hub.store import HubStore

log = logging.getLogger(__name__)


def _live_graduation(conn: Connection, household_id: str) -> str | None:
    j = HubJournal.__table__
    v = j.alias("v")
    voided = select(v.c.uuid).where(v.c.kind == "void", v.c.voids_uuid == j.c.uuid).exists()
    row = conn.execute(select(j.c.created_at).where(
        j.c.household_id == household_id, j.c.kind == "graduation", ~voided)
        .order_by(j.c.created_at).limit(1)).first()
    return str(row[0]) if row else None


def apply_graduations(store: HubStore, conn: Connection, entries: Iterable[Any]) -> int:
    """Bring pkh_graduated_on in line for the households these entries touch; returns how
    many households changed (and restamps them into a new snapshot version when any did)."""
    rows = [e if isinstance(e, dict) else e.model_dump() for e in entries]
    touched = {r["household_id"] for r in rows if r["kind"] == "graduation"}
    voids = [r["voids_uuid"] for r in rows if r["kind"] == "void" and r.get("voids_uuid")]
    if voids:
        j = HubJournal.__table__
        touched |= set(conn.execute(select(j.c.household_id).where(
            j.c.uuid.in_(voids), j.c.kind == "graduation")).scalars())
    if not touched:
        return 0
    changed = 0
    current: dict[str, str | None] = dict(conn.execute(text(
        "SELECT id, pkh_graduated_on FROM households WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)), {"ids": sorted(touched)}).all())
    for household_id in sorted(touched):
        if household_id not in current:
            continue
        when = _live_graduation(conn, household_id)
        if current[household_id] != when:
            conn.execute(text("UPDATE households SET pkh_graduated_on = :d WHERE id = :h"),
                         {"d": when, "h": household_id})
            changed += 1
    if changed:
        from bekasi_field.hub.snapshots import restamp
        restamp(store, conn, ("households",))
        log.info("PKH status changed for %d households", changed)
    return changed
