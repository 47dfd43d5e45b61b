"""Hand-over receipts: what one prints, signed by the recording desk, and the offline check of a
receipt's QR on any desk of the site.

Only the desk that recorded a hand-over holds the key that signs its receipt, so only it prints
one; any other desk verifies it with that desk's public key, which it learned from the hub
(services/device_keys.py: every sync fetches the public keys of the site's desks, and journal
pages carry the keys of the devices whose entries they hold). A receipt whose hand-over this desk
knows is also compared with the journal, and a voided one says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain import receipt_codec as rc
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import MASK_CHAR, mask
from bekasi_field.i18n import tr
from bekasi_field.reports.receipt_model import ReceiptData
from bekasi_field.reports.rupiah import parse_utc
from bekasi_field.store import opener
from bekasi_field.store.db import Database

log = logging.getLogger(__name__)

_ENTRY = (
    "SELECT j.uuid, j.device_id, j.seq, j.kind, j.event_id, j.household_id, j.officer_id, "
    "j.site, j.recipient_nik, j.recipient_name, j.is_proxy, j.proxy_name, j.proxy_relationship, "
    "j.created_at, j.hash, e.name AS event_name, e.programme, e.item AS event_item, "
    "e.amount AS event_amount, en.item, en.amount, o.name AS officer_name, d.name AS desk, "
    "EXISTS (SELECT 1 FROM journal v WHERE v.event_id = j.event_id AND v.household_id = "
    "j.household_id AND v.kind = 'void' AND v.voids_uuid = j.uuid) AS voided "
    "FROM journal j LEFT JOIN events e ON e.id = j.event_id "
    "LEFT JOIN entitlements en ON en.event_id = j.event_id AND en.household_id = j.household_id "
    "LEFT JOIN officers o ON o.id = j.officer_id LEFT JOIN devices d ON d.id = j.device_id "
    "WHERE j.uuid = ?"
)


def _entry(db: Database, entry_uuid: str) -> Any:
    """The entry with what its receipt prints, as a row by column name (None when unknown)."""
    conn = db.raw()
    try:
        conn.row_factory = opener.Row  # the database's own driver (SQLCipher) and its Row
        return conn.execute(_ENTRY, (entry_uuid.strip(),)).fetchone()
    finally:
        conn.close()


def receipt_data(db: Database, entry_uuid: str) -> ReceiptData:
    """The receipt of one of this desk's hand-overs, its QR signed by this desk's key."""
    from bekasi_field.services.device_key import device_key
    row = _entry(db, entry_uuid)
    if row is None:
        raise BekasiError(tr("journal.no_entry", uuid=entry_uuid))
    if row["kind"] != "handover":
        raise BekasiError(tr("journal.not_handover", uuid=entry_uuid))
    if row["voided"]:
        raise BekasiError(tr("receipt.voided", uuid=entry_uuid))
    key = device_key(db)
    if row["device_id"] != key.device_id:
        raise BekasiError(tr("receipt.other_desk", device=row["device_id"]))
    item = row["item"] or row["event_item"] or ""
    amount = row["amount"] if row["amount"] is not None else row["event_amount"]
    code = rc.short_code(row["hash"])
    nik_masked = mask(row["recipient_nik"] or "")
    payload = rc.ReceiptPayload(
        device_id=row["device_id"], entry_uuid=row["uuid"], seq=int(row["seq"]),
        event_id=row["event_id"], household_id=row["household_id"], item=item, amount=amount,
        created_at=parse_utc(row["created_at"]), officer_id=row["officer_id"],
        recipient_name=row["recipient_name"] or "", nik_masked=nik_masked.replace(MASK_CHAR, "*"),
        proxy_name=row["proxy_name"] if row["is_proxy"] else None, short_code=code)
    qr = rc.encode_receipt(payload, sign=lambda body: bytes.fromhex(key.sign(body)))
    return ReceiptData(
        entry_uuid=row["uuid"], short_code=code, qr_text=qr, event_id=row["event_id"],
        event_name=row["event_name"] or row["event_id"], programme=row["programme"] or "",
        item=item, amount=amount, household_id=row["household_id"],
        recipient_name=row["recipient_name"] or "", nik_masked=nik_masked,
        is_proxy=bool(row["is_proxy"]), proxy_name=row["proxy_name"] or "",
        proxy_relationship=row["proxy_relationship"] or "", created_at=row["created_at"],
        device_id=row["device_id"], desk_name=row["desk"] or "", officer_id=row["officer_id"],
        officer_name=row["officer_name"] or row["officer_id"], site=row["site"] or "")


# What check_receipt can refuse a receipt for (each has a text: receipt.bad.<problem>)
CHECK_PROBLEMS: tuple[str, ...] = ("malformed", "not_receipt", "unknown_device",
                                   "bad_signature", "journal_mismatch")


@dataclass(frozen=True)
class ReceiptCheck:
    """The outcome of checking a scanned receipt on this desk."""

    ok: bool  # signature valid under the recording device's registered key
    problem: str | None  # malformed | unknown_device | bad_signature | journal_mismatch
    payload: rc.ReceiptPayload | None = None
    in_journal: bool = False  # this desk knows the hand-over (synced or its own)
    voided: bool = False

    def as_dict(self) -> dict[str, object]:
        p = self.payload
        return {"ok": self.ok, "problem": self.problem, "in_journal": self.in_journal,
                "voided": self.voided, "receipt": None if p is None else {
                    "entry_uuid": p.entry_uuid, "device_id": p.device_id, "seq": p.seq,
                    "event_id": p.event_id, "household_id": p.household_id, "item": p.item,
                    "amount": p.amount, "created_at": p.created_at.isoformat(),
                    "officer_id": p.officer_id, "recipient_name": p.recipient_name,
                    "nik_masked": p.nik_masked, "proxy_name": p.proxy_name,
                    "short_code": p.short_code}}


def check_receipt(db: Database, text: str) -> ReceiptCheck:
    """Verify a receipt's QR offline: its signature, then (when known) against the journal."""
    from bekasi_field.services.device_key import public_key_of
    decoded = rc.decode_receipt(text)
    if decoded.payload is None:
        return ReceiptCheck(ok=False, problem=decoded.problem or "malformed")
    p = decoded.payload
    public = public_key_of(db, p.device_id)
    if not public:
        return ReceiptCheck(ok=False, problem="unknown_device", payload=p)
    if not rc.verify_receipt(decoded, bytes.fromhex(public)):
        log.warning("receipt with a bad signature for device %s", p.device_id)
        return ReceiptCheck(ok=False, problem="bad_signature", payload=p)
    row = _entry(db, p.entry_uuid)
    if row is None:
        return ReceiptCheck(ok=True, problem=None, payload=p)
    same = (row["device_id"] == p.device_id and int(row["seq"]) == p.seq
            and row["event_id"] == p.event_id and row["household_id"] == p.household_id
            and rc.short_code(row["hash"]) == p.short_code
            and abs(parse_utc(row["created_at"]) - p.created_at) < dt.timedelta(seconds=1))
    if not same:  # a validly signed receipt for an entry that says otherwise: look closer
        return ReceiptCheck(ok=False, problem="journal_mismatch", payload=p, in_journal=True)
    return ReceiptCheck(ok=True, problem=None, payload=p, in_journal=True,
                        voided=bool(row["voided"]))


def find_by_short_code(db: Database, code: str) -> str | None:
    """The entry uuid a short code (BKT-XXXX-XXXX) names on this desk, if any."""
    prefix = rc.hash_prefix(code)
    if prefix is None:
        return None
    conn = db.raw()
    try:
        rows = conn.execute("SELECT uuid FROM journal WHERE hash LIKE ? AND kind = 'handover'",
                            (prefix + "%",)).fetchall()
    finally:
        conn.close()
    return rows[0][0] if len(rows) == 1 else None
