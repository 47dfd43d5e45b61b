"""PKH graduation (graduasi sejahtera mandiri) of one household: a signed journal entry.

Only a pendamping or a supervisor records it (the caller checks the PIN first), with a reason
from the list, the household's signed statement (signature pad and/or a photo of the paper) and
a note. The entry is the household's new PKH status: the desk's verdict reads it at once, the
hub sets households.pkh_graduated_on when it arrives (hub.graduations) and every desk gets that
with its next snapshot. A supervisor can void it like a hand-over.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import digits_only
from bekasi_field.domain.journal_chain import canonical_json
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.i18n import tr
from bekasi_field.services import journal
from bekasi_field.services.evidence import evidence_key, store_evidence
from bekasi_field.services.site import Site
from bekasi_field.store.db import utc_now

log = logging.getLogger(__name__)

REASONS: tuple[str, ...] = ("sejahtera_mandiri", "tidak_ada_komponen", "pindah", "meninggal",
                            "lainnya")
GRADUATION_ROLES = ("pendamping", "supervisor", "admin")
# A live graduation of a household, any device: the desk's PKH status.
SQL_GRADUATED = (
    "SELECT j.uuid, j.created_at, j.officer_id, j.reason FROM journal j WHERE "
    "j.household_id = ? AND j.kind = 'graduation' AND NOT EXISTS (SELECT 1 FROM journal v "
    "WHERE v.kind = 'void' AND v.voids_uuid = j.uuid) ORDER BY j.created_at LIMIT 1")

Evidence = bytes | str | os.PathLike[str] | None


@dataclass(frozen=True)
class Graduated:
    entry: journal.RecordedEntry
    household_id: str
    status: str = "graduated"


def reason_label(code: str) -> str:
    return tr(f"grad.reason.{code}") if code in REASONS else code


def graduated_on(conn: sqlite3.Connection, household_id: str) -> str | None:
    """The ISO time the household left PKH: its live graduation entry, else the hub's mark."""
    row = conn.execute(SQL_GRADUATED, (household_id,)).fetchone()
    if row:
        return str(row[1])
    row = conn.execute("SELECT pkh_graduated_on FROM households WHERE id = ?",
                       (household_id,)).fetchone()
    return row[0] if row and row[0] else None


def find_household(conn: sqlite3.Connection, code: str) -> str | None:
    """Household id from a NIK, No. KK or household id as typed or scanned."""
    text = (code or "").strip()
    digits = digits_only(text)
    if len(digits) == 16 and digits.isdigit():
        for sql in ("SELECT household_id FROM members WHERE nik = ?",
                    "SELECT id FROM households WHERE no_kk = ? LIMIT 1",
                    "SELECT id FROM households WHERE kks_card = ? LIMIT 1"):
            row = conn.execute(sql, (digits,)).fetchone()
            if row:
                return str(row[0])
    row = conn.execute("SELECT id FROM households WHERE id = ?", (text,)).fetchone()
    return str(row[0]) if row else None


def graduation_event(conn: sqlite3.Connection, event_id: str | None) -> str:
    """The given graduation event, or the one open graduation event of this desk."""
    if event_id:
        row = conn.execute("SELECT kind, status FROM events WHERE id = ?", (event_id,)
                           ).fetchone()
        if row is None or row[0] != "graduation":
            raise BekasiError(tr("grad.not_graduation_event", event=event_id))
        if row[1] != "open":
            raise BekasiError(tr("journal.event_closed", event=event_id))
        return event_id
    rows = [str(r[0]) for r in conn.execute("SELECT id FROM events WHERE kind = 'graduation' AND "
                                       "status = 'open' ORDER BY start_date DESC, id")]
    if len(rows) != 1:
        raise BekasiError(tr("grad.which_event", events=", ".join(rows) or "-"))
    return rows[0]


def _require_role(conn: sqlite3.Connection, officer_id: str) -> None:
    row = conn.execute("SELECT role, active FROM officers WHERE id = ?", (officer_id,)).fetchone()
    if row is None or not row[1] or row[0] not in GRADUATION_ROLES:
        raise BekasiError(tr("grad.not_allowed", officer=officer_id))


def record_graduation(*, site: Site, code: str, officer_id: str, reason: str,
                      note: str = "", signature: Evidence = None, photo: Evidence = None,
                      event_id: str | None = None) -> Graduated:
    """Graduate one PKH household, durably; BekasiError with a clear message when refused."""
    reason = (reason or "").strip().lower().replace(" ", "_").replace("-", "_")
    if reason not in REASONS:
        raise BekasiError(tr("grad.bad_reason", reason=reason,
                             known=", ".join(REASONS)))
    note = " ".join((note or "").split())
    if reason == "lainnya" and not note:
        raise BekasiError(tr("grad.note_required"))
    if signature is None and photo is None:
        raise BekasiError(tr("grad.statement_required"))
    conn = site.db.raw()
    try:
        _require_role(conn, officer_id)  # before any evidence is stored
        household_id = find_household(conn, code)
        if household_id is None:
            raise BekasiError(tr("grad.unknown_household"))
        key = evidence_key(site)
        evidence = {name: store_evidence(site.layout.evidence_dir, data, key=key)
                    for name, data in (("photo", photo), ("signature", signature))
                    if data is not None}
        with journal._immediate(conn):
            _require_role(conn, officer_id)
            event = graduation_event(conn, event_id)
            progs = conn.execute("SELECT programs FROM households WHERE id = ?",
                                 (household_id,)).fetchone()[0] or ""
            if "PKH" not in progs.split(","):
                raise BekasiError(tr("grad.not_pkh", household=household_id))
            when = graduated_on(conn, household_id)
            if when is not None:
                raise BekasiError(tr("grad.already", household=household_id,
                                     date=when[:10]))
            nik, name = journal._recipient(conn, household_id, None)
            entry = journal._append(conn, new_entry(
                uuid=str(uuidlib.uuid4()), device_id=journal._device_id(conn),
                kind="graduation", event_id=event, household_id=household_id,
                officer_id=officer_id, site=journal._site_name(conn, event),
                recipient_nik=nik, recipient_name=name, evidence=canonical_json(evidence),
                reason=reason, created_at=utc_now(),
                details=canonical_json({"note": note, "statement": sorted(evidence)}),
            ))
    finally:
        conn.close()
    log.info("graduation recorded: seq %d, event %s, household %s, reason %s",
             entry["seq"], event, household_id, reason)
    rec = journal.RecordedEntry(entry["uuid"], entry["seq"], None, entry["created_at"],
                                kind="graduation")
    return Graduated(entry=rec, household_id=household_id)
