"""What "collected" means, once: the desk's counter, the dashboard, the BAST and the XLSX all ask
here, so their numbers agree.

A hand-over counts toward the event when no void entry names it. It counts toward the event's
allocation only when the household is allocated in the event (has an entitlement row); a
household from another site handed over with a supervisor's override (WRONG_SITE) is counted
apart, as `outside`, and never shrinks "still to collect". A household recorded twice (two
desks, found on sync) counts once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from bekasi_field.domain.site_formats import site_day_bounds

# A live hand-over of the event (no void entry names it).
LIVE_HANDOVER = (
    "j.event_id = :event AND j.kind = 'handover' AND NOT EXISTS (SELECT 1 FROM journal v "
    "WHERE v.kind = 'void' AND v.voids_uuid = j.uuid)"
)
# ... whose household is allocated in the event.
ALLOCATED = (
    "EXISTS (SELECT 1 FROM entitlements e WHERE e.event_id = j.event_id "
    "AND e.household_id = j.household_id)"
)

_COUNTS = text(
    "SELECT (SELECT count(*) FROM entitlements WHERE event_id = :event), "
    f"(SELECT count(DISTINCT j.household_id) FROM journal j WHERE {LIVE_HANDOVER} "
    f"AND {ALLOCATED}), "
    f"(SELECT count(DISTINCT j.household_id) FROM journal j WHERE {LIVE_HANDOVER} "
    f"AND NOT {ALLOCATED}), "
    f"(SELECT count(*) FROM journal j WHERE {LIVE_HANDOVER} "
    "AND j.created_at >= :start AND j.created_at < :end)"
)


@dataclass(frozen=True)
class EventCounts:
    allocated: int  # households allocated in the event
    collected: int  # of those, collected (a live hand-over)
    outside: int  # households not allocated here, handed over with a supervisor's override
    today: int  # live hand-overs on the day asked (WIB), overrides included

    @property
    def remaining(self) -> int:
        return max(0, self.allocated - self.collected)

    @property
    def percent(self) -> float:
        return 100.0 * self.collected / self.allocated if self.allocated else 0.0


def event_counts(engine: Engine, event_id: str, *, day: dt.date | None = None) -> EventCounts:
    start, end = site_day_bounds(day)
    with engine.connect() as conn:
        row = conn.execute(_COUNTS, {"event": event_id, "start": start, "end": end}).one()
    return EventCounts(allocated=int(row[0]), collected=int(row[1]), outside=int(row[2]),
                       today=int(row[3]))
