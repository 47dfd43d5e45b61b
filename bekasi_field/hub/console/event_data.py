"""What the event page shows beyond the report services: a page of the households still to
collect (searchable), and hand-overs per WIB day and per hour today."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Connection, text

from bekasi_field.reports.rupiah import local_date, to_wib

PAGE = 50
# A void held for review undoes nothing until accepted (hub/held_voids.py).
_APPLIED = ("v.uuid NOT IN (SELECT hv.void_uuid FROM hub_held_voids hv "
            "WHERE hv.status <> 'accepted')")


def remaining_page(conn: Connection, *, event_id: str, query: str = "", kelurahan: str = "",
                   page: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Households allocated in the event without a live hand-over, PAGE at a time."""
    where = ["en.event_id = :e", ("NOT EXISTS (SELECT 1 FROM hub_journal j WHERE "
             "j.event_id = en.event_id AND j.household_id = en.household_id AND "
             "j.kind = 'handover' AND NOT EXISTS (SELECT 1 FROM hub_journal v WHERE "
             "v.event_id = j.event_id AND v.household_id = j.household_id AND "
             f"v.kind = 'void' AND v.voids_uuid = j.uuid AND {_APPLIED}))")]
    params: dict[str, object] = {"e": event_id}
    if kelurahan:
        where.append("h.kelurahan = :kel")
        params["kel"] = kelurahan
    q = query.strip()
    if q:
        # A household id, a whole NIK or No. KK, or part of a member's name.
        where.append("(en.household_id = :q OR h.no_kk = :q OR EXISTS (SELECT 1 FROM members m "
                     "WHERE m.household_id = en.household_id AND (m.nik = :q OR "
                     "LOWER(m.name) LIKE :like)))")
        params["q"], params["like"] = q, f"%{q.lower()}%"
    base = (" FROM entitlements en JOIN households h ON h.id = en.household_id WHERE "
            + " AND ".join(where))
    total = int(conn.execute(text("SELECT COUNT(*)" + base), params).scalar_one())
    rows = conn.execute(text(
        "SELECT en.household_id, h.rt, h.rw, h.kelurahan, h.address, h.status, "
        "(SELECT m.nik FROM members m WHERE m.household_id = en.household_id "
        " ORDER BY m.is_recipient DESC, m.nik LIMIT 1) AS nik, "
        "(SELECT m.name FROM members m WHERE m.household_id = en.household_id "
        " ORDER BY m.is_recipient DESC, m.nik LIMIT 1) AS name" + base
        + " ORDER BY h.kelurahan, h.rw, h.rt, en.household_id LIMIT :lim OFFSET :off"),
        {**params, "lim": PAGE, "off": max(page, 0) * PAGE}).mappings().all()
    return [dict(r) for r in rows], total


def timeline(conn: Connection, *, event_id: str, today: dt.date | None = None
             ) -> tuple[list[tuple[dt.date, int]], list[int]]:
    """Households collected per WIB day (cumulative) and per hour of today."""
    today = today or local_date(dt.datetime.now(dt.UTC))
    rows = conn.execute(text(
        "SELECT j.household_id, MIN(j.created_at) FROM hub_journal j WHERE j.event_id = :e "
        "AND j.kind = 'handover' AND NOT EXISTS (SELECT 1 FROM hub_journal v WHERE "
        "v.event_id = j.event_id AND v.household_id = j.household_id AND v.kind = 'void' "
        f"AND v.voids_uuid = j.uuid AND {_APPLIED}) GROUP BY j.household_id"),
        {"e": event_id}).all()
    days: Counter[dt.date] = Counter()
    hours = [0] * 24
    for _household, at in rows:  # a household once, at its first live hand-over
        t = to_wib(at)
        days[t.date()] += 1
        if t.date() == today:
            hours[t.hour] += 1
    running, out = 0, []
    for day in sorted(days):
        running += days[day]
        out.append((day, running))
    return out, hours


def bar_chart(values: list[int], labels: list[str], *, width: int = 640,
              height: int = 160) -> dict[str, Any]:
    """Bars for an inline SVG: positions computed here so the template stays simple."""
    top = max(values) if values and max(values) > 0 else 1
    n = max(len(values), 1)
    step = width / n
    bar_w = min(step - 4, 48.0)  # one day's bar stays a bar, not a block
    bars = []
    for i, (v, label) in enumerate(zip(values, labels, strict=True)):
        h = round((height - 34) * v / top, 1)  # room for the value above and the label below
        bars.append({"x": round(i * step + (step - bar_w) / 2, 1), "y": round(height - 18 - h, 1),
                     "w": round(max(bar_w, 1), 1), "h": h, "v": v, "label": label,
                     "lx": round(i * step + step / 2, 1)})
    return {"width": width, "height": height, "bars": bars, "max": top}
