"""The desk queries: counts, today's hand-overs page by page, remaining households, members."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest

from bekasi_field.services import desk
from bekasi_field.services.site import Site
from bekasi_field.store.db import utc_now

EVENT = "EV-TEST"


def _tag(i: int) -> str:
    return chr(97 + i // 26) + chr(97 + i % 26)


def _seed(conn: sqlite3.Connection, households: int) -> None:
    conn.execute(
        "INSERT INTO events (id, name, programme, site_kelurahan, served_kelurahan, start_date, "
        "end_date, item, amount, require_photo, require_signature, allow_proxy, status, "
        "created_at, version) VALUES (?, 'KKS', 'KKS', 'Kota Baru', '[\"Kota Baru\"]', "
        "'2026-01-01', '2026-12-31', 'Kartu KKS', NULL, 0, 0, 1, 'open', '', 0)",
        (EVENT,),
    )
    for i in range(households):
        hid = f"HH{i:05d}"
        conn.execute(
            "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
            "programs, status, kks_card, content_hash, version) VALUES (?, ?, '', ?, '002', "
            "'Kota Baru', 'Bekasi Barat', 1, 'KKS', 'active', NULL, '', 0)",
            (hid, f"32750101010{i:05d}", f"{i % 9 + 1:03d}"),
        )
        for k, (rel, rec) in enumerate((("Kepala Keluarga", 1), ("Anak", 0))):
            conn.execute(
                "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                "birth_date, is_recipient, content_hash, version) "
                "VALUES (?, ?, ?, ?, ?, 'P', NULL, ?, '', 0)",
                (f"32750141018{i:04d}{k}", hid, f"Siti Warga {_tag(i)}", f"siti warga {_tag(i)}",
                 rel, rec),
            )
        conn.execute(
            "INSERT INTO entitlements (event_id, household_id, item, amount, slip_serial, version)"
            " VALUES (?, ?, 'Kartu KKS', NULL, ?, 0)",
            (EVENT, hid, f"S{i:06d}"),
        )


def _journal(conn: sqlite3.Connection, *, device: str, seq: int, household: str,
             kind: str = "handover", voids: str | None = None, created_at: str | None = None,
             received: bool = False) -> str:
    entry = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO journal (uuid, device_id, seq, kind, event_id, household_id, officer_id, "
        "site, recipient_nik, recipient_name, is_proxy, proxy_letter_seen, identity, evidence, "
        "code_kind, scanned_code, verdict, voids_uuid, created_at, prev_hash, hash, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'sup', 'Kota Baru', '3275014101800001', 'Siti', 0, 0, '{}', "
        "'{}', 'slip', '', 'ELIGIBLE', ?, ?, 'x', ?, ?)",
        (entry, device, seq, kind, EVENT, household, voids, created_at or utc_now(),
         uuid.uuid4().hex, utc_now() if received else None),
    )
    return entry


@pytest.fixture
def seeded(site: Site) -> Site:
    with site.db.transaction() as conn:
        _seed(conn, 30)
    return site


def test_counts_follow_handovers_voids_and_other_devices(seeded: Site) -> None:
    db = seeded.db
    assert desk.event_counts(db, EVENT) == desk.DeskCounts(entitled=30, collected=0, today=0)
    me = db.device_id
    with db.transaction() as conn:
        first = _journal(conn, device=me, seq=1, household="HH00000")
        _journal(conn, device=me, seq=2, household="HH00001")
        _journal(conn, device="other", seq=1, household="HH00002", received=True)
        _journal(conn, device=me, seq=3, household="HH00000", kind="void", voids=first)
    counts = desk.event_counts(db, EVENT)
    assert (counts.collected, counts.remaining, counts.today) == (2, 28, 2)


def test_today_excludes_yesterday(seeded: Site) -> None:
    db = seeded.db
    yesterday = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")
    with db.transaction() as conn:
        _journal(conn, device=db.device_id, seq=1, household="HH00003", created_at=yesterday)
        _journal(conn, device=db.device_id, seq=2, household="HH00004")
    assert desk.handovers_count(db, EVENT) == 1
    assert [r.household_id for r in desk.handovers_page(db, EVENT)] == ["HH00004"]
    assert desk.event_counts(db, EVENT).collected == 2


def test_handover_pages_are_newest_first_and_mark_voids(seeded: Site) -> None:
    db = seeded.db
    with db.transaction() as conn:
        ids = [_journal(conn, device=db.device_id, seq=i + 1, household=f"HH{i:05d}")
               for i in range(12)]
        _journal(conn, device=db.device_id, seq=13, household="HH00005", kind="void",
                 voids=ids[5])
    first = desk.handovers_page(db, EVENT, offset=0, limit=5)
    second = desk.handovers_page(db, EVENT, offset=5, limit=5)
    assert [r.seq for r in first] == [12, 11, 10, 9, 8]
    assert [r.seq for r in second] == [7, 6, 5, 4, 3]
    assert [r.voided for r in second] == [False, True, False, False, False]
    # 'sup' is not in this desk's officers list: the list shows the id alone, not "(sup)".
    assert (second[1].voided_by_shown, second[1].officer_shown) == ("sup", "sup")
    assert all(r.nik_masked.startswith("3275••") and "3275014101800001" not in r.nik_masked for r in first)
    row = desk.handover_entry(db, ids[0])
    assert row is not None and row.household_id == "HH00000" and not row.from_other_device


def test_remaining_search_by_name_and_number(seeded: Site) -> None:
    db = seeded.db
    with db.transaction() as conn:
        _journal(conn, device=db.device_id, seq=1, household="HH00012")
    everyone = desk.remaining_page(db, EVENT, limit=100)
    assert len(everyone) == 29 and "HH00012" not in {r.household_id for r in everyone}
    by_name = desk.remaining_page(db, EVENT, query="Warga  AN")
    assert [r.household_id for r in by_name] == ["HH00013"]
    by_kk = desk.remaining_page(db, EVENT, query="3275010101000014")
    assert [r.household_id for r in by_kk] == ["HH00014"]
    assert desk.remaining_page(db, EVENT, query="warga am") == []
    assert by_name[0].name == "Siti Warga an" and by_name[0].nik_masked.startswith("3275")


def test_members_recipient_first_and_settings(seeded: Site) -> None:
    db = seeded.db
    members = desk.household_members(db, "HH00007")
    assert [m.relationship for m in members] == ["Kepala Keluarga", "Anak"]
    assert members[0].is_recipient and members[0].nik not in members[0].nik_masked
    assert desk.get_setting(db, "lock_minutes") is None
    desk.set_setting(db, "lock_minutes", "3")
    assert desk.get_setting(db, "lock_minutes") == "3"
    assert desk.has_officers(db) is False


def test_history_keeps_the_last_few() -> None:
    h = desk.VerdictHistory(size=3)
    for i in range(5):
        h.add(code="ELIGIBLE", label=f"HH{i}")
    assert [i.label for i in h.items()] == ["HH4", "HH3", "HH2"]
