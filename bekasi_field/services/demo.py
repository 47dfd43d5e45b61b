"""The demo site: Kelurahan Kota Baru (Kec. Bekasi Barat) serving Kota Baru and Kranji.

populate_demo() fills any engine (a device database or the hub's, SQLite or PostgreSQL) with
the same synthetic registry, events and officers; build_demo() makes a device home out of it.
write_synthetic_roster_csv() writes the same kind of households as a roster file, for benchmarks.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, insert, text

from bekasi_field.domain import pins
from bekasi_field.domain.demo_people import Area, HouseholdGenerator, SynthHousehold
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.names import normalize_name
from bekasi_field.domain.site_formats import site_today
from bekasi_field.i18n import tr
from bekasi_field.services.events import create_event
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta, utc_now
from bekasi_field.store.models import Household, Member, Officer

log = logging.getLogger(__name__)

SITE_KELURAHAN = "Kota Baru"
MAIN_AREAS = (Area("Kota Baru", "Bekasi Barat", 0.7), Area("Kranji", "Bekasi Barat", 0.3))
SIBLING_AREAS = (Area("Bintara", "Bekasi Barat", 0.6), Area("Bintara Jaya", "Bekasi Barat", 0.4))
SIBLING_HOUSEHOLDS = 40
MAIN_EVENT_ID = "DEMO-KKS-KOTABARU"
SIBLING_EVENT_ID = "DEMO-KKS-BINTARA"
META_KEY = "demo"


@dataclass(frozen=True)
class DemoOfficer:
    id: str
    role: str
    pin: str
    name: str


# Fixed demo PINs: printed on screen by `bekasi-field demo`; never use them on a real site.
DEMO_OFFICERS = (
    DemoOfficer("SPV01", "supervisor", "202611", "Hj. Nurhayati Suryana"),
    DemoOfficer("PTG01", "petugas", "1111", "Asep Saepudin"),
    DemoOfficer("PTG02", "petugas", "2222", "Rina Marlina"),
    DemoOfficer("PKH01", "pendamping", "3333", "Dedi Kurniawan"),
)


@dataclass(frozen=True)
class DemoData:
    """What populate_demo wrote (DB-agnostic; the hub uses this)."""

    event_id: str
    sibling_event_id: str
    officers: list[DemoOfficer]
    households: int
    members: int
    entitlements: int
    main_entitlements: int
    enrolment_event_id: str = ""
    graduation_event_id: str = ""


@dataclass(frozen=True)
class DemoSite:
    home: Path
    event_id: str
    officers: list[DemoOfficer]
    sibling_event_id: str = SIBLING_EVENT_ID
    households: int = 0
    entitlements: int = 0
    reused: bool = False

    def as_json(self) -> dict[str, object]:
        return {"home": str(self.home), "event_id": self.event_id,
                "sibling_event_id": self.sibling_event_id, "households": self.households,
                "entitlements": self.entitlements,
                "reused": self.reused,
                "officers": [{"id": o.id, "role": o.role, "pin": o.pin, "name": o.name}
                             for o in self.officers]}


def synthetic_households(*, households: int, seed: int) -> Iterator[SynthHousehold]:
    """The demo registry: `households` at Kota Baru + Kranji, then 40 at Bintara (+ Jaya)."""
    gen = HouseholdGenerator(seed=seed)
    yield from gen.households(households, MAIN_AREAS)
    yield from gen.households(SIBLING_HOUSEHOLDS, SIBLING_AREAS)


def _rows(hh: Iterable[SynthHousehold]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    households, members = [], []
    for h in hh:
        households.append({
            "id": h.id, "no_kk": h.no_kk, "address": h.address, "rt": h.rt, "rw": h.rw,
            "kelurahan": h.kelurahan, "kecamatan": h.kecamatan, "desil": h.desil,
            "programs": ",".join(h.programs), "status": h.status, "kks_card": h.kks_card,
            "content_hash": "", "version": 0,
        })
        for m in h.members:
            members.append({
                "nik": m.nik, "household_id": h.id, "name": m.name,
                "name_norm": normalize_name(m.name), "relationship": m.relationship,
                "sex": m.sex, "birth_date": m.birth_date, "is_recipient": m.is_recipient,
                "content_hash": "", "version": 0,
            })
    return households, members


def populate_demo(engine: Engine, *, households: int = 600, seed: int = 2026,
                  today: dt.date | None = None) -> DemoData:
    """Write the demo registry, officers and the two KKS events into an empty registry."""
    if households < 1:
        raise BekasiError(tr("demo.bad_size", households=households))
    with engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM households")).scalar_one():
            raise BekasiError(tr("demo.not_empty"))
    hh_rows, member_rows = _rows(synthetic_households(households=households, seed=seed))
    officer_rows = [{"id": o.id, "name": o.name, "role": o.role, "pin_hash": pins.hash_pin(o.pin, o.role),
                     "active": True, "failed_attempts": 0, "locked_until": None, "version": 0}
                    for o in DEMO_OFFICERS]
    with engine.begin() as conn:
        for i in range(0, len(hh_rows), 10_000):
            conn.execute(insert(Household.__table__), hh_rows[i:i + 10_000])  # type: ignore[attr-defined]
        for i in range(0, len(member_rows), 10_000):
            conn.execute(insert(Member.__table__), member_rows[i:i + 10_000])  # type: ignore[attr-defined]
        for row in officer_rows:
            conn.execute(text("DELETE FROM officers WHERE id = :id"), {"id": row["id"]})
        conn.execute(insert(Officer.__table__), officer_rows)  # type: ignore[attr-defined]
    start = today or site_today()
    salt = f"bekasi-field demo {seed}".encode()
    main = create_event(
        engine, programme="KKS", site_kelurahan=SITE_KELURAHAN,
        served_kelurahan=["Kota Baru", "Kranji"], start_date=start,
        end_date=start + dt.timedelta(days=6), name="Penyaluran Kartu KKS Kota Baru (demo)",
        event_id=MAIN_EVENT_ID, serial_salt=salt,
    )
    create_event(
        engine, programme="KKS", site_kelurahan="Bintara", served_kelurahan=["Bintara",
                                                                             "Bintara Jaya"],
        start_date=start, end_date=start + dt.timedelta(days=6),
        name="Penyaluran Kartu KKS Bintara (demo)", event_id=SIBLING_EVENT_ID, serial_salt=salt,
    )
    from bekasi_field.services.demo_kinds import add_kind_events
    kinds = add_kind_events(engine, start=start, serial_salt=salt)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM entitlements")).scalar_one()
    log.info("demo registry: %d households, %d members, %d entitlements",
             len(hh_rows), len(member_rows), total)
    return DemoData(event_id=main.event_id, sibling_event_id=SIBLING_EVENT_ID,
                    officers=list(DEMO_OFFICERS), households=len(hh_rows),
                    members=len(member_rows), entitlements=int(total),
                    main_entitlements=main.entitlements,
                    enrolment_event_id=str(kinds["enrolment_event_id"]),
                    graduation_event_id=str(kinds["graduation_event_id"]))


def _remove_database(site: Site) -> None:
    path = site.layout.database
    site.close()
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def build_demo(*, home: Path, households: int = 600, seed: int = 2026,
               reset: bool = False) -> DemoSite:
    """A device home holding the demo site; an existing demo home is reused unless reset."""
    home = Path(home)
    site = Site.open(home)
    try:
        stored = site.db.get_meta(META_KEY)
        has_data = _has_data(site)
        if has_data and stored is None:
            raise BekasiError(tr("demo.real_data", home=home))
        if stored is not None and not reset:
            info = json.loads(stored)
            return DemoSite(home=home, event_id=info["event_id"],
                            officers=list(DEMO_OFFICERS), sibling_event_id=info["sibling_event_id"],
                            households=int(info["households"]),
                            entitlements=int(info.get("entitlements", 0)), reused=True)
        if stored is not None and reset:
            _remove_database(site)
            site = Site.open(home)
        data = populate_demo(site.db.engine, households=households, seed=seed)
        with site.db.transaction() as conn:
            set_meta(conn, "site_kelurahan", SITE_KELURAHAN)
            set_meta(conn, META_KEY, json.dumps({
                "event_id": data.event_id, "sibling_event_id": data.sibling_event_id,
                "households": data.households, "entitlements": data.main_entitlements,
                "seed": seed, "requested": households,
                "created_at": utc_now()}))
            conn.execute("UPDATE devices SET site_kelurahan = ? WHERE is_self = 1",
                         (SITE_KELURAHAN,))
        return DemoSite(home=home, event_id=data.event_id, officers=list(DEMO_OFFICERS),
                        sibling_event_id=data.sibling_event_id, households=data.households,
                        entitlements=data.main_entitlements)
    finally:
        site.close()


def _has_data(site: Site) -> bool:
    conn = site.db.raw()
    try:
        return any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                   for t in ("households", "events", "journal"))
    finally:
        conn.close()


ROSTER_COLUMNS = ("id_keluarga", "no_kk", "nik", "nama", "hubungan", "jenis_kelamin",
                  "tanggal_lahir", "alamat", "rt", "rw", "kelurahan", "kecamatan", "desil",
                  "program", "no_kartu_kks", "pengurus", "status")


def write_synthetic_roster_csv(path: Path, *, households: int, seed: int = 2026,
                               max_rows: int | None = None) -> int:
    """A roster CSV (DESIGN §3 columns) of synthetic households; returns the member rows written.

    For benchmarks of other parts: ~3.5 members per household, so 1,000,000 member rows is
    households=300_000 with max_rows=1_000_000.
    """
    written = 0
    gen = HouseholdGenerator(seed=seed)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(ROSTER_COLUMNS)
        for h in gen.households(households, MAIN_AREAS):
            progs = ";".join(h.programs)
            for m in h.members:
                if max_rows is not None and written >= max_rows:
                    return written
                out.writerow((h.id, h.no_kk, m.nik, m.name, m.relationship, m.sex,
                              m.birth_date.strftime("%d-%m-%Y"), h.address, h.rt, h.rw,
                              h.kelurahan, h.kecamatan, h.desil, progs, h.kks_card or "",
                              "Y" if m.is_recipient else "", h.status))
                written += 1
    return written


def officers_json(officers: list[DemoOfficer]) -> list[dict[str, str]]:
    return [asdict(o) for o in officers]
