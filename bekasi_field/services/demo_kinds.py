"""The demo site's two events that are not a hand-over: BPJS-TK enrolment and PKH graduation.

Demo members of working age get occupations as DTSEN spells them (ojol drivers and street
vendors among them, deterministic per NIK), then an enrolment event selects workers up to a
quota and a graduation event targets a tenth of the PKH households. populate_demo calls this
on any engine, so the hub demo has the same events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import Engine, text

from bekasi_field.domain.enrolment_rules import PREMIUM, age_on
from bekasi_field.services.events import create_event

log = logging.getLogger(__name__)

ENROLMENT_EVENT_ID = "DEMO-BPJSTK-KOTABARU"
GRADUATION_EVENT_ID = "DEMO-GRAD-PKH-KOTABARU"
SERVED = ["Kota Baru", "Kranji"]
# (registry text, weight): informal work first, some formal workers and people without work
OCCUPATIONS: tuple[tuple[str, int], ...] = (
    ("Ojek Online", 14), ("Pedagang Kaki Lima", 14), ("Buruh Harian Lepas", 14),
    ("Pekerja Rumah Tangga", 6), ("Pemulung", 3), ("Petani/Nelayan", 2), ("Wiraswasta", 8),
    ("Karyawan Swasta", 10), ("Mengurus Rumah Tangga", 17), ("Pelajar/Mahasiswa", 12),
)
_TOTAL = sum(w for _, w in OCCUPATIONS)


def occupation_for(nik: str) -> str:
    """A stable pick per NIK (the same demo on desk and hub gives the same registry)."""
    n = int.from_bytes(hashlib.blake2b(nik.encode(), digest_size=4).digest(), "big") % _TOTAL
    for name, weight in OCCUPATIONS:
        if n < weight:
            return name
        n -= weight
    return OCCUPATIONS[-1][0]


def add_kind_events(engine: Engine, *, start: dt.date, quota: int = 60,
                    serial_salt: bytes | None = None) -> dict[str, object]:
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT nik, birth_date FROM members")).all()
        updates = []
        for nik, born in rows:
            born_d = born if isinstance(born, dt.date) else (
                dt.date.fromisoformat(str(born)[:10]) if born else None)
            if born_d is not None and 15 <= age_on(born_d, start) <= 65:
                updates.append({"o": occupation_for(nik), "n": nik})
        for i in range(0, len(updates), 10_000):
            conn.execute(text("UPDATE members SET occupation = :o WHERE nik = :n"),
                         updates[i:i + 10_000])
        pkh = int(conn.execute(text(
            "SELECT count(*) FROM households WHERE status = 'active' AND kelurahan IN "
            "('Kota Baru', 'Kranji') AND (',' || programs || ',') LIKE '%,PKH,%'")).scalar_one())
    enrol = create_event(
        engine, programme="BPJSTK", kind="enrolment", site_kelurahan="Kota Baru",
        served_kelurahan=SERVED, start_date=start, end_date=start + dt.timedelta(days=6),
        name="Pendaftaran BPJS Ketenagakerjaan pekerja rentan Kota Baru (demo)",
        event_id=ENROLMENT_EVENT_ID,
        params={"quota": quota, "budget": quota * PREMIUM})
    grad = create_event(
        engine, programme="PKH", kind="graduation", site_kelurahan="Kota Baru",
        served_kelurahan=SERVED, start_date=start, end_date=start + dt.timedelta(days=6),
        name="Graduasi PKH Kota Baru (demo)", event_id=GRADUATION_EVENT_ID,
        serial_salt=serial_salt,
        params={"target": max(1, pkh // 10)})
    log.info("demo kinds: %d occupations, %d workers selected, graduation target %d",
             len(updates), enrol.entitlements, max(1, pkh // 10))
    return {"enrolment_event_id": enrol.event_id, "graduation_event_id": grad.event_id,
            "selected": enrol.entitlements}
