"""A small realistic site for report tests, written with SQL (households, members, an event,
entitlements, officers) and journal rows whose hashes follow domain.journal_chain.

Loaded by path from tests/reports/conftest.py and tests/services/test_reports.py (importlib mode
cannot import between test folders).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field

from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.store.db import Database

EVENT_ID = "BLT-KOTABARU-2611"
OTHER_EVENT = "BLT-BINTARA-2611"
NAMES = [
    "Siti Aminah", "Muhammad Rizki Pratama", "Dewi Lestari", "Agus Salim", "Nur Hasanah",
    "Budi Santoso", "Rina Wulandari", "Joko Susilo", "Sri Mulyani", "Ahmad Fauzi",
    "Yuliana Putri", "Hendra Gunawan", "Wahyu Hidayat", "Ratna Sari", "Eko Prasetyo",
    "Fitri Handayani", "Slamet Riyadi", "Lina Marlina", "Dedi Kurniawan", "Ayu Kartika",
]


def nik_for(i: int) -> str:
    """A valid Kota Bekasi NIK (3275 01, born 12-03-85, serial i+1)."""
    return f"327501120385{i + 1:04d}"


@dataclass
class Journal:
    """Appends chained entries for one device."""

    device_id: str
    seq: int = 0
    prev: str = GENESIS
    uuids: list[str] = field(default_factory=list)

    def add(self, conn: sqlite3.Connection, *, household_id: str, created_at: str,
            officer_id: str = "petugas1", event_id: str = EVENT_ID, kind: str = "handover",
            proxy: tuple[str, str] | None = None, voids_uuid: str | None = None,
            recipient: tuple[str, str] | None = None, received_at: str | None = None,
            override_by: str | None = None) -> str:
        self.seq += 1
        entry = new_entry(
            uuid=str(uuid.uuid4()), device_id=self.device_id, seq=self.seq,
            kind=kind, event_id=event_id, household_id=household_id,
            officer_id=officer_id, site="Kota Baru",
            recipient_nik=recipient[0] if recipient else None,
            recipient_name=recipient[1] if recipient else None,
            is_proxy=proxy is not None, proxy_name=proxy[0] if proxy else None,
            proxy_nik="3275014508800007" if proxy else None,
            proxy_relationship=proxy[1] if proxy else None,
            proxy_letter_seen=proxy is not None,
            identity=json.dumps({"ktp_seen": True}, sort_keys=True, separators=(",", ":")),
            evidence="{}", code_kind="slip" if kind == "handover" else "",
            scanned_code="", verdict="ELIGIBLE" if kind == "handover" else "",
            override_by=override_by, voids_uuid=voids_uuid,
            reason="salah pilih" if kind == "void" else None,
            created_at=created_at, prev_hash=self.prev,
        )
        entry["hash"] = entry_hash(entry)
        entry["received_at"] = received_at
        cols = ", ".join(entry)
        conn.execute(f"INSERT INTO journal ({cols}) VALUES ({', '.join('?' * len(entry))})",
                     tuple(entry.values()))
        self.prev = entry["hash"]
        self.uuids.append(entry["uuid"])
        return entry["uuid"]


def seed_roster(db: Database, *, households: int = 20, amount: int | None = 250_000) -> list[str]:
    """Households h001.. in Kota Baru (even) and Kranji (odd), an event with all of them
    entitled, officers; returns the household ids."""
    ids = [f"H{i + 1:03d}" for i in range(households)]
    with db.transaction() as conn:
        for i, hid in enumerate(ids):
            kel = "Kota Baru" if i % 2 == 0 else "Kranji"
            conn.execute(
                "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
                "programs, status, kks_card, content_hash, version) "
                "VALUES (?, ?, ?, ?, ?, ?, 'Bekasi Barat', 1, 'BLT', 'active', NULL, '', 0)",
                (hid, f"327501010120{i + 1:04d}", f"Jl. Melati No. {i + 1}", f"{i % 5 + 1:03d}",
                 f"{i % 3 + 1:03d}", kel),
            )
            conn.execute(
                "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                "birth_date, is_recipient, content_hash, version) "
                "VALUES (?, ?, ?, ?, 'Kepala Keluarga', 'P', '1985-03-12', 1, '', 0)",
                (nik_for(i), hid, NAMES[i % len(NAMES)], NAMES[i % len(NAMES)].lower()),
            )
        for ev, site, served in (
            (EVENT_ID, "Kota Baru", ["Kota Baru", "Kranji"]),
            (OTHER_EVENT, "Bintara", ["Bintara"]),
        ):
            conn.execute(
                "INSERT INTO events (id, name, programme, site_kelurahan, served_kelurahan, "
                "start_date, end_date, item, amount, require_photo, require_signature, "
                "allow_proxy, status, created_at, version) VALUES (?, ?, 'BLT', ?, ?, "
                "'2026-11-23', '2026-11-24', 'BLT tunai', ?, 0, 0, 1, 'open', '', 0)",
                (ev, f"BLT {site} November 2026", site, json.dumps(served), amount),
            )
        for i, hid in enumerate(ids):
            conn.execute(
                "INSERT INTO entitlements (event_id, household_id, item, amount, slip_serial, "
                "version) VALUES (?, ?, 'BLT tunai', ?, ?, 0)",
                (EVENT_ID, hid, amount, f"S{i + 1:05d}"),
            )
        for oid, name, role in (("petugas1", "Rahmat Hidayat", "petugas"),
                                ("petugas2", "Indah Permata", "petugas"),
                                ("spv1", "Bambang Wijaya", "supervisor")):
            conn.execute(
                "INSERT INTO officers (id, name, role, pin_hash, active, failed_attempts, "
                "version) VALUES (?, ?, ?, 'x', 1, 0, 0)",
                (oid, name, role),
            )
    return ids


@dataclass
class Scenario:
    households: list[str]
    voided: str  # household whose hand-over was voided
    proxy: str  # household collected by proxy
    duplicate: str  # household recorded on two devices


def seed_scenario(db: Database, *, households: int = 20, amount: int | None = 250_000) -> Scenario:
    """Two days of hand-overs on this device plus entries learned from a second desk.

    23 Nov (WIB): H001-H008 here (H003 by proxy, H005 voided), H002 again and H011 (23.30 WIB)
    from desk B. 24 Nov: H009, H010 here, H012 from desk B (00.30 WIB, 17.30 UTC on the 23rd).
    So 23 Nov = 9 live entries, 8 households; whole event = 12 entries, 11 households.
    """
    ids = seed_roster(db, households=households, amount=amount)
    here = Journal(db.device_id)
    there = Journal("deskb0000002")
    with db.transaction() as conn:
        for n, hid in enumerate(ids[:8]):
            proxy = ("Sutrisno", "Suami") if hid == "H003" else None
            here.add(conn, household_id=hid, created_at=f"2026-11-23T0{1 + n // 2}:{5 + n * 4:02d}"
                     f":00.000Z", proxy=proxy, officer_id="petugas1" if n % 2 else "petugas2")
        here.add(conn, household_id="H005", kind="void", officer_id="spv1",
                 voids_uuid=here.uuids[4], created_at="2026-11-23T05:00:00.000Z")
        here.add(conn, household_id="H009", created_at="2026-11-24T02:00:00.000Z")
        here.add(conn, household_id="H010", created_at="2026-11-24T02:10:00.000Z")
        received = "2026-11-24T10:00:00.000Z"
        there.add(conn, household_id="H002", created_at="2026-11-23T03:00:00.000Z",
                  received_at=received, officer_id="petugas2")
        there.add(conn, household_id="H011", created_at="2026-11-23T16:30:00.000Z",
                  received_at=received, officer_id="petugas2")
        there.add(conn, household_id="H012", created_at="2026-11-23T17:30:00.000Z",
                  received_at=received, officer_id="petugas2")
    return Scenario(households=ids, voided="H005", proxy="H003", duplicate="H002")
