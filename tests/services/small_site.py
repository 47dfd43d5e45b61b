"""Test data for the verdict and journal tests: a small site built with plain SQL.

Kota Baru serves Kota Baru + Kranji for a KKS event; Bintara has its own KKS event; one household
of each verdict-relevant kind. Imported by tests through tests/services/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from bekasi_field.domain.identifiers import luhn_check_digit
from bekasi_field.domain.names import normalize_name
from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
from bekasi_field.services import keys, officers
from bekasi_field.services.site import Site

EVENT = "EVT-KKS-KOTABARU"
EVENT_BINTARA = "EVT-KKS-BINTARA"
EVENT_BLT = "EVT-BLT-KOTABARU"
PIN = "2468"
SUPERVISOR_PIN = "135790"


def nik(i: int, *, female: bool = False) -> str:
    day = 12 + (40 if female else 0)
    return f"327501{day:02d}0385{i:04d}"


def kk(i: int) -> str:
    return f"3275011501{20}{i:04d}"


def kks(i: int) -> str:
    partial = f"601300{i:09d}"
    return partial + luhn_check_digit(partial)


@dataclass
class World:
    site: Site
    signer: keys.SlipSigner
    households: dict[str, str] = field(default_factory=dict)  # label -> household id
    niks: dict[str, str] = field(default_factory=dict)  # label -> recipient NIK
    kks: dict[str, str] = field(default_factory=dict)
    kk: dict[str, str] = field(default_factory=dict)
    serials: dict[str, str] = field(default_factory=dict)  # label -> slip serial in EVENT

    def slip(self, label: str, *, event_id: str = EVENT, expires: dt.date | None = None,
             serial: str | None = None, signer: keys.SlipSigner | None = None,
             household_id: str | None = None) -> str:
        signer = signer or self.signer
        payload = SlipPayload(
            key_id=signer.key_id, household_id=household_id or self.households[label],
            event_id=event_id, item="Kartu KKS", amount=None,
            expires=expires or dt.date.today() + dt.timedelta(days=30),
            serial=serial or self.serials.get(label, "S-NONE"))
        return encode_slip(payload, sign=signer.sign)


# label, kelurahan, status, events entitled in
HOUSEHOLDS = [
    ("ok", "Kota Baru", "active", [EVENT, EVENT_BLT]),
    ("kranji", "Kranji", "active", [EVENT]),
    ("far", "Harapan Jaya", "active", [EVENT]),
    ("bintara", "Bintara", "active", [EVENT_BINTARA]),
    ("none", "Kota Baru", "active", []),
    ("graduated", "Kota Baru", "graduated", [EVENT]),
    ("deceased", "Kota Baru", "deceased", [EVENT]),
    ("suspended", "Kranji", "suspended", [EVENT]),
    ("second", "Kota Baru", "active", [EVENT]),
    ("third", "Kranji", "active", [EVENT]),
]
NAMES = {
    "ok": ("Muhammad Rizky Pratama", "Siti Nurhaliza"),
    "kranji": ("Hj. Dewi Lestari", "Agus Salim"),
    "far": ("Bambang Wijaya", "Rina Wijaya"),
    "bintara": ("Yusuf Hidayat", "Ani Hidayat"),
    "none": ("Joko Susilo", "Tuti Susilo"),
    "graduated": ("Slamet Riyadi", "Wati Riyadi"),
    "deceased": ("Sutrisno", "Sri Wahyuni"),
    "suspended": ("Andi Saputra", "Maya Saputra"),
    "second": ("Ahmad Fauzi", "Nur Aini"),
    "third": ("Rudi Hartono", "Lina Marlina"),
}


def add_event(conn, event_id: str, *, programme: str, site: str, served: list[str],
              item: str, amount: int | None = None, require_photo: bool = False,
              require_signature: bool = False, allow_proxy: bool = True,
              status: str = "open") -> None:
    today = dt.date.today()
    conn.execute(
        "INSERT INTO events (id, name, programme, site_kelurahan, served_kelurahan, start_date, "
        "end_date, item, amount, require_photo, require_signature, allow_proxy, status, "
        "created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)",
        (event_id, f"Penyaluran {programme} {site}", programme, site, json.dumps(served),
         (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=30)).isoformat(),
         item, amount, require_photo, require_signature, allow_proxy, status, "2026-11-01"))


def build_world(site: Site, *, keys_dir: Path | None = None) -> World:
    info = keys.generate_issuer_key(keys_dir=keys_dir or site.layout.keys_dir)
    keys.register_public_key(site.db.engine, info)
    assert info.private_path is not None
    world = World(site=site, signer=keys.load_signer(info.private_path))
    with site.db.transaction() as conn:
        add_event(conn, EVENT, programme="KKS", site="Kota Baru", served=["Kota Baru", "Kranji"],
                  item="Kartu KKS")
        add_event(conn, EVENT_BINTARA, programme="KKS", site="Bintara",
                  served=["Bintara", "Bintara Jaya"], item="Kartu KKS")
        add_event(conn, EVENT_BLT, programme="BLT", site="Kota Baru", served=["Kota Baru"],
                  item="BLT tunai", amount=250_000)
        for i, (label, kel, status, events) in enumerate(HOUSEHOLDS, start=1):
            hid = f"KPM-{i:05d}"
            world.households[label] = hid
            world.kk[label] = kk(i)
            world.kks[label] = kks(i)
            conn.execute(
                "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
                "programs, status, kks_card, content_hash, version) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
                (hid, kk(i), f"Jl. Melati No. {i}", f"{i:03d}", "005", kel, "Bekasi Barat", 1,
                 "KKS", status, kks(i), ""))
            head, spouse = NAMES[label]
            for j, (name, female, recipient) in enumerate(((head, False, False),
                                                           (spouse, True, True))):
                n = nik(i * 10 + j, female=female)
                if recipient:
                    world.niks[label] = n
                conn.execute(
                    "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                    "birth_date, is_recipient, content_hash, version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,0)",
                    (n, hid, name, normalize_name(name), "Kepala Keluarga" if j == 0 else "Istri",
                     "P" if female else "L", "1985-03-12", recipient, ""))
            for ev in events:
                serial = f"{ev[4:7]}{ev[-3:]}-{i:06d}"
                if ev == EVENT:
                    world.serials[label] = serial
                conn.execute(
                    "INSERT INTO entitlements (event_id, household_id, item, amount, slip_serial, "
                    "version) VALUES (?,?,?,?,?,0)",
                    (ev, hid, "Kartu KKS" if ev != EVENT_BLT else "BLT tunai",
                     250_000 if ev == EVENT_BLT else None, serial))
    officers.create_officer(site.db, officer_id="P1", name="Petugas Satu", role="petugas",
                            pin=PIN)
    officers.create_officer(site.db, officer_id="S1", name="Supervisor", role="supervisor",
                            pin=SUPERVISOR_PIN)
    return world


def add_households(site: Site, n: int, *, event_id: str = EVENT, start: int = 1000) -> list[str]:
    """n more eligible Kota Baru households entitled in `event_id`; returns their ids."""
    ids = []
    with site.db.transaction() as conn:
        for i in range(start, start + n):
            hid = f"KPM-{i:05d}"
            ids.append(hid)
            conn.execute(
                "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
                "programs, status, kks_card, content_hash, version) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
                (hid, kk(i), f"Jl. Kenanga No. {i}", "001", "002", "Kota Baru", "Bekasi Barat",
                 1, "KKS", "active", None, ""))
            conn.execute(
                "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                "birth_date, is_recipient, content_hash, version) VALUES (?,?,?,?,?,?,?,?,?,0)",
                (nik(i), hid, f"Warga {i}", f"warga {i}", "Kepala Keluarga", "L", None, 1, ""))
            conn.execute(
                "INSERT INTO entitlements (event_id, household_id, item, amount, slip_serial, "
                "version) VALUES (?,?,?,?,?,0)", (event_id, hid, "Kartu KKS", None, f"B-{i}"))
    return ids
