"""Retention: `data purge --closed-before DATE` removes personal data the desk no longer needs.

What goes (plan() shows it first; apply() does exactly that plan, in one transaction):
  - events that ended before DATE and are synced (every own entry of the event acknowledged
    by the hub, so the hub holds the full record): their journal entries lose the personal
    fields (recipient and proxy NIK and name, identity details, the scanned code, an
    enrolment's or graduation's details) and their
    evidence files (photos, signatures) are deleted;
  - households entitled in those events and in no other event still running or ending on or
    after DATE: their members (NIK, name, birth date) are deleted and the household's No. KK,
    address and KKS card number blanked (the household id stays: entries refer to it).
An event with unsynced entries is kept whole and named in the plan.

How `journal verify` keeps passing: a redacted entry keeps its `hash` and `prev_hash`, so the
chain's links, sequence and head still check; its own hash can no longer be recomputed from
the removed values, so `journal_redactions` records, for each one, the entry hash of the
entry as redacted (every remaining field), taken after the entry was checked intact just
before. verify checks that instead of `hash` (domain.journal_chain.check_chain `redacted`),
so an edit of any remaining field after the purge is still detected. The full entry stays
provable at the hub, which holds it with the same hash.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS
from bekasi_field.i18n import tr
from bekasi_field.services.evidence import evidence_path
from bekasi_field.services.site import Site
from bekasi_field.store.db import utc_now

log = logging.getLogger(__name__)

# The personal fields of an entry and what they become.
REDACTED: dict[str, Any] = {"recipient_nik": None, "recipient_name": None, "proxy_name": None,
                            "proxy_nik": None, "proxy_relationship": None, "identity": "{}",
                            "scanned_code": "", "details": "{}"}


def rest_digest(entry: dict[str, Any]) -> str:
    """The entry hash of `entry` as a redaction leaves it: it covers every remaining field."""
    return entry_hash({**entry, **REDACTED})


def redactions(conn: Any) -> dict[str, str]:
    """uuid -> digest of the remaining fields, for every redacted entry."""
    return {r[0]: r[1] for r in conn.execute("SELECT uuid, rest_sha256 FROM journal_redactions")}


@dataclass
class PurgePlan:
    closed_before: dt.date
    events: list[str] = field(default_factory=list)
    kept_unsynced: list[str] = field(default_factory=list)
    households: list[str] = field(default_factory=list)
    members: int = 0
    entries: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"closed_before": self.closed_before.isoformat(), "events": self.events,
                "kept_unsynced": self.kept_unsynced, "households": len(self.households),
                "members": self.members, "entries": len(self.entries),
                "evidence": len(self.evidence)}

    def describe(self) -> str:
        lines = [tr("purge.plan", date=self.closed_before.isoformat(),
                    events=", ".join(self.events) or "-", households=len(self.households),
                    members=self.members, entries=len(self.entries),
                    evidence=len(self.evidence))]
        if self.kept_unsynced:
            lines.append(tr("purge.kept_unsynced", events=", ".join(self.kept_unsynced)))
        return "\n".join(lines)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def plan(site: Site, *, closed_before: dt.date) -> PurgePlan:
    """What a purge would remove; nothing is changed."""
    out = PurgePlan(closed_before=closed_before)
    day = closed_before.isoformat()
    conn = site.db.raw()
    try:
        own = site.device_id
        acked = int((conn.execute("SELECT value FROM meta WHERE key = 'sync_acked_seq'")
                     .fetchone() or ["0"])[0] or 0)
        enrolled = conn.execute("SELECT 1 FROM meta WHERE key = 'hub_token'").fetchone()
        ended = [r[0] for r in conn.execute(
            "SELECT id FROM events WHERE substr(end_date, 1, 10) < ? ORDER BY id", (day,))]
        for ev in ended:
            pending = conn.execute("SELECT count(*) FROM journal WHERE event_id = ? AND "
                                   "device_id = ? AND seq > ?", (ev, own, acked)).fetchone()[0]
            if pending or not enrolled:
                out.kept_unsynced.append(ev)
            else:
                out.events.append(ev)
        if not out.events:
            return out
        evs = out.events
        out.households = [r[0] for r in conn.execute(
            f"SELECT DISTINCT household_id FROM entitlements WHERE event_id IN ({_marks(len(evs))}) "
            "AND household_id NOT IN (SELECT e.household_id FROM entitlements e JOIN events v "
            f"ON v.id = e.event_id WHERE v.id NOT IN ({_marks(len(evs))})) ORDER BY 1",
            (*evs, *evs))]
        if out.households:
            out.members = sum(conn.execute(
                f"SELECT count(*) FROM members WHERE household_id IN ({_marks(len(chunk))})",
                chunk).fetchone()[0] for chunk in _chunks(out.households))
        rows = conn.execute(
            f"SELECT uuid, evidence FROM journal WHERE event_id IN ({_marks(len(evs))}) AND "
            "uuid NOT IN (SELECT uuid FROM journal_redactions) ORDER BY device_id, seq",
            evs).fetchall()
        out.entries = [r[0] for r in rows]
        shas = {sha for r in rows for sha in json.loads(r[1] or "{}").values()}
        out.evidence = sorted(s for s in shas
                              if evidence_path(site.layout.evidence_dir, s).exists())
    finally:
        conn.close()
    return out


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def apply(site: Site, the_plan: PurgePlan) -> PurgePlan:
    """Remove exactly what `the_plan` lists (recomputed and compared first: nothing else)."""
    again = plan(site, closed_before=the_plan.closed_before)
    if again.as_dict() != the_plan.as_dict():
        raise BekasiError(tr("purge.plan_changed"))
    now = utc_now()
    with site.db.transaction() as conn:
        cols = ", ".join(ENTRY_COLUMNS)
        for chunk in _chunks(the_plan.entries):
            cur = conn.execute(f"SELECT {cols} FROM journal WHERE uuid IN ({_marks(len(chunk))})",
                               chunk)
            for row in cur.fetchall():
                entry = dict(zip(ENTRY_COLUMNS, row, strict=True))
                if entry_hash(entry) != entry["hash"]:  # never seal over an edited entry
                    raise BekasiError(tr("purge.entry_edited", uuid=entry["uuid"]))
                conn.execute("INSERT INTO journal_redactions (uuid, rest_sha256, redacted_at) "
                             "VALUES (?, ?, ?)", (entry["uuid"], rest_digest(entry), now))
            sets = ", ".join(f"{k} = ?" for k in REDACTED)
            conn.execute(f"UPDATE journal SET {sets} WHERE uuid IN ({_marks(len(chunk))})",
                         (*REDACTED.values(), *chunk))
        for chunk in _chunks(the_plan.households):
            marks = _marks(len(chunk))
            conn.execute(f"DELETE FROM members WHERE household_id IN ({marks})", chunk)
            conn.execute(f"UPDATE households SET no_kk = '', address = '', rt = '', rw = '', "
                         f"kks_card = NULL WHERE id IN ({marks})", chunk)
    # Evidence after the commit: a crash in between leaves files no entry needs (removed by
    # the next purge), never an entry whose evidence went missing before its redaction.
    for sha in the_plan.evidence:
        evidence_path(site.layout.evidence_dir, sha).unlink(missing_ok=True)
    log.info("purge before %s: %d events, %d households, %d entries, %d evidence files",
             the_plan.closed_before, len(the_plan.events), len(the_plan.households),
             len(the_plan.entries), len(the_plan.evidence))
    return the_plan
