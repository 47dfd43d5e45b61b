"""Signed invitation slips for an event: one per entitlement of an active household.

SQLAlchemy Core text queries on a plain Engine, so the hub prints from PostgreSQL the same way a
device prints from SQLite. Revoked slip serials and inactive households get no slip.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import Engine, text

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import mask
from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
from bekasi_field.i18n import tr
from bekasi_field.reports.rupiah import format_date_id, format_rupiah
from bekasi_field.reports.slips_pdf import SlipCard, SlipLine, render_slips_pdf
from bekasi_field.services.keys import SlipSigner
from bekasi_field.store.db import utc_now

log = logging.getLogger(__name__)

_EVENT = text("SELECT id, name, programme, site_kelurahan, served_kelurahan, start_date, "
              "end_date, item, amount FROM events WHERE id = :e")
_ROWS = text(
    "SELECT t.household_id, t.item, t.amount, t.slip_serial, h.address, h.rt, h.rw, "
    "h.kelurahan FROM entitlements t JOIN households h ON h.id = t.household_id "
    "WHERE t.event_id = :e AND h.status = 'active' "
    "AND t.slip_serial NOT IN (SELECT slip_serial FROM revoked_slips) "
    "ORDER BY h.kelurahan, h.rw, h.rt, h.address, t.household_id")
_MEMBERS = text(
    "SELECT m.household_id, m.nik, m.name, m.is_recipient FROM members m WHERE m.household_id IN "
    "(SELECT household_id FROM entitlements WHERE event_id = :e) "
    "ORDER BY m.household_id, m.nik")


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def date_range_id(start: dt.date, end: dt.date) -> str:
    """'23–29 November 2026', '28 November – 2 Desember 2026', or one day."""
    if start == end:
        return format_date_id(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{format_date_id(end)}"
    if start.year == end.year:
        return f"{format_date_id(start).rsplit(' ', 1)[0]} \u2013 {format_date_id(end)}"
    return f"{format_date_id(start)} \u2013 {format_date_id(end)}"


def _recipients(conn: object, event_id: str) -> dict[str, tuple[str, str]]:
    """household id -> (nik, name) of the designated recipient (else the first member)."""
    chosen: dict[str, tuple[str, str, bool]] = {}
    for hid, nik, name, is_recipient in conn.execute(_MEMBERS, {"e": event_id}):  # type: ignore[attr-defined]
        if hid not in chosen or (is_recipient and not chosen[hid][2]):
            chosen[hid] = (nik, name, bool(is_recipient))
    return {hid: (v[0], v[1]) for hid, v in chosen.items()}


def event_slip_cards(*, engine: Engine, event_id: str, signer: SlipSigner) -> list[SlipCard]:
    with engine.connect() as conn:
        ev = conn.execute(_EVENT, {"e": event_id}).first()
        if ev is None:
            raise BekasiError(tr("slips.unknown_event", event=event_id))
        rows = conn.execute(_ROWS, {"e": event_id}).all()
        people = _recipients(conn, event_id)
    when = date_range_id(_as_date(ev.start_date), _as_date(ev.end_date))
    place = f"Kantor Kelurahan {ev.site_kelurahan}"
    lang = "id"  # printed slips are Indonesian documents, whatever the screen language
    cards = []
    for hid, item, amount, serial, address, rt, rw, kelurahan in rows:
        nik, name = people.get(hid, ("", hid))
        payload = SlipPayload(key_id=signer.key_id, household_id=hid, event_id=ev.id,
                              item=item or ev.item, amount=amount,
                              expires=_as_date(ev.end_date), serial=serial)
        receives = item or ev.item
        if amount:
            receives = f"{receives} ({format_rupiah(amount)})"
        address_text = ", ".join(p for p in (address, f"RT {rt}/RW {rw}" if rt or rw else "",
                                             f"{tr('slips.kelurahan', lang=lang)} {kelurahan}")
                                 if p)
        try:
            qr_text = encode_slip(payload, sign=signer.sign)
        except ValueError as exc:
            raise BekasiError(tr("slips.too_long", household=hid, event=ev.id)) from exc
        cards.append(SlipCard(
            qr_text=qr_text,
            title=tr("slips.title", lang=lang),
            side=[SlipLine(tr("slips.recipient", lang=lang), name),
                  SlipLine(tr("slips.nik", lang=lang), mask(nik), inline=True),
                  SlipLine(tr("slips.address", lang=lang), address_text, max_lines=3),
                  SlipLine(tr("slips.event", lang=lang), ev.name),
                  SlipLine(tr("slips.serial", lang=lang), serial, inline=True)],
            band=[SlipLine(tr("slips.when", lang=lang), when, inline=True, max_lines=1),
                  SlipLine(tr("slips.where", lang=lang), place, inline=True, max_lines=1),
                  SlipLine(tr("slips.receives", lang=lang), receives, inline=True, bold=True)],
            footer=tr("slips.bring", lang=lang)))
    return cards


def revoke_slip(engine: Engine, *, serial: str, reason: str) -> bool:
    """Put a slip serial on this registry's deny list; False when it was there already.

    Its QR then gives REVOKED everywhere this registry reaches (a hub sends the list to its
    devices); the household can still be served on its NIK or No. KK with an identity check.
    """
    serial = serial.strip().upper()
    with engine.begin() as conn:
        known = conn.execute(text("SELECT 1 FROM entitlements WHERE slip_serial = :s"),
                             {"s": serial}).first()
        if known is None:
            raise BekasiError(tr("slips.unknown_serial", serial=serial))
        if conn.execute(text("SELECT 1 FROM revoked_slips WHERE slip_serial = :s"),
                        {"s": serial}).first():
            return False
        conn.execute(text("INSERT INTO revoked_slips (slip_serial, reason, revoked_at, version) "
                          "VALUES (:s, :r, :t, 0)"),
                     {"s": serial, "r": reason.strip(), "t": utc_now()})
    log.info("slip %s revoked", serial)
    return True


def render_event_slips(*, engine: Engine, event_id: str, out: Path, signer: SlipSigner) -> int:
    """Write the event's slips to `out` as a PDF; returns how many slips."""
    cards = event_slip_cards(engine=engine, event_id=event_id, signer=signer)
    n = render_slips_pdf(cards, Path(out), title=f"{tr('slips.footer', lang='id')} {event_id}")
    log.info("event %s: %d slips signed with key %s", event_id, n, signer.key_id)
    return n


__all__ = ["event_slip_cards", "render_event_slips"]
