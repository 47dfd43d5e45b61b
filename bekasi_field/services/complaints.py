"""Record a complaint / DTSEN update proposal at the desk (pengaduan, usulan).

Who: any active officer at the desk (the person turned away is in front of them). The record
is personal data, so it stays in the database (encrypted with it), never in a plain file; it is
written once, signed with the device key, and pushed to the hub by the same `sync` run as the
journal (sync/complaints.py). The person is told the number (ADU-XXXX-XXXX).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain import complaint_record as cr
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import IdentifierError, digits_only, mask, parse_nik
from bekasi_field.i18n import tr
from bekasi_field.services.site import Site
from bekasi_field.store import opener
from bekasi_field.store.db import utc_now

log = logging.getLogger(__name__)

Signer = Callable[[bytes], str]  # signed bytes -> signature hex
COLUMNS: tuple[str, ...] = (*cr.SIGNED_FIELDS, "signature")
_INSERT = (f"INSERT INTO complaints ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in COLUMNS)})")


@dataclass(frozen=True)
class ComplaintInput:
    """What the officer enters; name/address/RT/RW default to the roster's when it knows them."""

    code: str  # NIK, No. KK, KKS, household id or slip of the person turned away
    officer_id: str
    category: str
    note: str = ""
    phone: str = ""
    name: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    kelurahan: str = ""
    nik: str = ""  # the person's own NIK when the code named a household
    event_id: str = ""
    verdict: str = ""  # the verdict shown (the desk passes it; the CLI finds it with --event)


@dataclass(frozen=True)
class RecordedComplaint:
    uuid: str
    number: str
    seq: int
    created_at: str
    nik: str
    name: str

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)


def _household_of(conn: sqlite3.Connection, code: str) -> str | None:
    digits = digits_only(code)
    for sql in ("SELECT household_id FROM members WHERE nik = ?",
                "SELECT id FROM households WHERE no_kk = ? LIMIT 1",
                "SELECT id FROM households WHERE kks_card = ? LIMIT 1",
                "SELECT id FROM households WHERE id = ?"):
        row = conn.execute(sql, (digits,)).fetchone()
        if row:
            return str(row[0])
    row = conn.execute("SELECT id FROM households WHERE id = ?", (code.strip(),)).fetchone()
    return str(row[0]) if row else None


def _person(conn: sqlite3.Connection, household_id: str, nik: str | None) -> tuple[str, str]:
    if nik:
        row = conn.execute("SELECT nik, name FROM members WHERE nik = ?", (nik,)).fetchone()
        if row:
            return row[0], row[1]
    row = conn.execute("SELECT nik, name FROM members WHERE household_id = ? "
                       "ORDER BY is_recipient DESC, nik LIMIT 1", (household_id,)).fetchone()
    return (row[0], row[1]) if row else ("", "")


def _clean(text: str, field: str) -> str:
    return " ".join((text or "").split())[:cr.TEXT_LIMITS.get(field, 200)]


def _valid_nik(text: str) -> str:
    try:
        return parse_nik(text).value
    except IdentifierError as exc:
        raise BekasiError(tr("complaint.bad_nik", reason=exc.message)) from exc


def build_record(conn: sqlite3.Connection, data: ComplaintInput, *,
                 household_id: str | None) -> dict[str, Any]:
    """The record's person fields from the input and (when known) the roster; raises BekasiError
    for input that cannot make a useful DTSEN proposal."""
    if data.category not in cr.CATEGORIES:
        raise BekasiError(tr("complaint.bad_category", category=data.category,
                             allowed=", ".join(cr.CATEGORIES)))
    try:
        phone = cr.normalise_phone(data.phone)
    except ValueError as exc:
        raise BekasiError(tr("complaint.bad_phone", phone=data.phone)) from exc
    code_digits = digits_only(data.code)
    typed_nik = data.nik or (code_digits if len(code_digits) == 16 else "")
    nik, name, address, rt, rw, kelurahan = "", "", "", "", "", ""
    if household_id is not None:
        nik, name = _person(conn, household_id, digits_only(typed_nik) if typed_nik else None)
        hh = conn.execute("SELECT address, rt, rw, kelurahan FROM households WHERE id = ?",
                          (household_id,)).fetchone()
        if hh:
            address, rt, rw, kelurahan = hh
        if data.nik and digits_only(data.nik) != nik:
            nik = data.nik  # a member the roster lacks (the complaint may be about just that)
    elif typed_nik:
        nik = typed_nik
    if not nik:
        raise BekasiError(tr("complaint.nik_needed"))
    nik = _valid_nik(nik)
    name = _clean(data.name, "name") or name
    if not name:
        raise BekasiError(tr("complaint.name_needed"))
    return {
        "household_id": household_id, "nik": nik, "name": name,
        "address": _clean(data.address, "address") or address or "",
        "rt": _clean(data.rt, "rt") or rt or "", "rw": _clean(data.rw, "rw") or rw or "",
        "kelurahan": _clean(data.kelurahan, "kelurahan") or kelurahan or "",
        "phone": phone, "category": data.category, "note": (data.note or "").strip()[:1000],
    }


def record_complaint(*, site: Site, data: ComplaintInput,
                     signer: Signer | None = None) -> RecordedComplaint:
    """Validate, number, sign (with the device key unless `signer` is given) and store one
    complaint durably (one transaction)."""
    sign = signer or device_signer(site)  # before the transaction: a first key is written
    verdict = data.verdict
    household_id: str | None = None
    if data.event_id and not verdict:
        from bekasi_field.services.verdict_engine import VerdictEngine
        engine = VerdictEngine(site.db)
        try:
            found = engine.check(data.code, event_id=data.event_id)
        finally:
            engine.close()
        verdict, household_id = found.code.value, found.household_id
    with site.db.transaction() as conn:
        officer = conn.execute("SELECT active FROM officers WHERE id = ?",
                               (data.officer_id,)).fetchone()
        if officer is None or not officer[0]:
            raise BekasiError(tr("journal.unknown_officer", officer=data.officer_id))
        if household_id is None:
            household_id = _household_of(conn, data.code)
        person = build_record(conn, data, household_id=household_id)
        device_id = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]
        site_row = conn.execute("SELECT value FROM meta WHERE key = 'site_kelurahan'").fetchone()
        last = conn.execute("SELECT max(seq) FROM complaints WHERE device_id = ?",
                            (device_id,)).fetchone()[0]
        uuid = str(uuidlib.uuid4())
        record: dict[str, Any] = {
            "uuid": uuid, "number": cr.complaint_number(uuid), "device_id": device_id,
            "seq": int(last or 0) + 1, "created_at": utc_now(), "officer_id": data.officer_id,
            "site": site_row[0] if site_row else "", "event_id": data.event_id or "",
            "verdict": verdict or "", **person,
        }
        if not record["kelurahan"]:
            record["kelurahan"] = record["site"]
        record["signature"] = sign(cr.signed_bytes(record))
        conn.execute(_INSERT, [record[c] for c in COLUMNS])
    log.info("complaint %s recorded (seq %d, category %s)", record["number"], record["seq"],
             record["category"])
    return RecordedComplaint(uuid=uuid, number=record["number"], seq=record["seq"],
                             created_at=record["created_at"], nik=record["nik"],
                             name=record["name"])


def list_complaints(site: Site, *, limit: int = 100) -> list[dict[str, Any]]:
    """This desk's complaints, newest first, NIK masked (for the screen and `--json`)."""
    conn = site.db.raw()
    try:
        conn.row_factory = opener.Row
        rows = [dict(r) for r in conn.execute(
            "SELECT uuid, number, device_id, seq, created_at, officer_id, event_id, verdict, "
            "household_id, nik, name, kelurahan, category, received_at FROM complaints "
            "ORDER BY created_at DESC, seq DESC LIMIT ?", (max(1, limit),))]
    finally:
        conn.close()
    for r in rows:
        r["nik_masked"] = mask(r.pop("nik"))
    return rows


def device_signer(site: Site) -> Signer:
    """The device key's signer for complaints (the key is made on first use)."""
    from bekasi_field.services.device_key import device_key
    return device_key(site.db).sign


def complaint_row(site: Site, uuid: str) -> dict[str, Any]:
    """One complaint of this desk as stored (for its printed slip)."""
    conn = site.db.raw()
    try:
        conn.row_factory = opener.Row
        row = conn.execute("SELECT * FROM complaints WHERE uuid = ?", (uuid,)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise BekasiError(tr("complaint.unknown", id=uuid))
    return dict(row)
