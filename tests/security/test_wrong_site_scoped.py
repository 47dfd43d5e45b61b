"""Scoped desks (DESIGN §5) still place people of other sites: a Kota Baru desk holds no
Bintara household, yet a signed Bintara slip reads SALAH LOKASI naming Bintara, a typed Bintara
NIK stays TIDAK DIKENAL with a next step saying they may belong to another site, and the
supervisor's WRONG_SITE override the desk then allows is accepted by the hub (counted apart, as
`outside`) while one without an approving supervisor of the site is still quarantined."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_hub import (
    EVENT,
    SPV_PIN_HASH,
    ThreadHub,
    chain,
    enrol_code,
    enrol_raw,
    key_for,
    seed_registry,
)
from sqlalchemy import insert, select
from sqlmodel import SQLModel

from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
from bekasi_field.domain.verdicts import Verdict
from bekasi_field.hub.models import HubJournal, HubQuarantine
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services import counts, keys, sync_service
from bekasi_field.services.journal import IdentityCheck, record_handover
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine

BINTARA, BT_EVENT, BT_HOUSEHOLD, BT_NIK = "Bintara", "EV-KKS-BT", "BTR-0001", "3275034101000001"


def _seed_bintara(hub: ThreadHub, tmp_path: Path) -> str:
    """A Bintara event with one household entitled, a Bintara supervisor, an issuer key at the
    hub; the Bintara household's signed slip."""
    t = SQLModel.metadata.tables
    today = dt.date.today()
    info = keys.generate_issuer_key(keys_dir=tmp_path / "issuer")
    keys.register_public_key(hub.store.engine, info)
    with hub.store.write() as conn:
        conn.execute(insert(t["households"]).values(
            id=BT_HOUSEHOLD, no_kk="3275030100000001", address="Jl. Kenanga 1", rt="003",
            rw="004", kelurahan=BINTARA, kecamatan="Bekasi Barat", desil=1, programs="KKS",
            status="active", kks_card=None, content_hash="", version=0))
        conn.execute(insert(t["members"]).values(
            nik=BT_NIK, household_id=BT_HOUSEHOLD, name="Warga Bintara", name_norm="warga "
            "bintara", relationship="Kepala Keluarga", sex="P", birth_date=dt.date(1981, 2, 2),
            is_recipient=True, content_hash="", version=0))
        conn.execute(insert(t["events"]).values(
            id=BT_EVENT, name="KKS Bintara", programme="KKS", site_kelurahan=BINTARA,
            served_kelurahan=json.dumps([BINTARA]), start_date=today - dt.timedelta(days=1),
            end_date=today + dt.timedelta(days=6), item="Kartu KKS", amount=None,
            require_photo=False, require_signature=False, allow_proxy=True, status="open",
            created_at="2026-01-01T00:00:00Z", version=0))
        conn.execute(insert(t["entitlements"]).values(
            event_id=BT_EVENT, household_id=BT_HOUSEHOLD, item="Kartu KKS", amount=None,
            slip_serial="S-BTR-0001", version=0))
        conn.execute(insert(t["officers"]).values(
            id="SPV09", name="SPV09", role="supervisor", pin_hash=SPV_PIN_HASH, active=True,
            failed_attempts=0, locked_until=None, version=0))
        # BTR-0002 is entitled at Bintara only in another programme: no KKS card elsewhere
        conn.execute(insert(t["households"]).values(
            id="BTR-0002", no_kk="3275030100000002", address="Jl. Kenanga 2", rt="003",
            rw="004", kelurahan=BINTARA, kecamatan="Bekasi Barat", desil=1, programs="BLT",
            status="active", kks_card=None, content_hash="", version=0))
        conn.execute(insert(t["events"]).values(
            id="EV-BLT-BT", name="BLT Bintara", programme="BLT", site_kelurahan=BINTARA,
            served_kelurahan=json.dumps([BINTARA]), start_date=today - dt.timedelta(days=1),
            end_date=today + dt.timedelta(days=6), item="BLT", amount=300000,
            require_photo=False, require_signature=False, allow_proxy=True, status="open",
            created_at="2026-01-01T00:00:00Z", version=0))
        conn.execute(insert(t["entitlements"]).values(
            event_id="EV-BLT-BT", household_id="BTR-0002", item="BLT", amount=300000,
            slip_serial="S-BLT-0002", version=0))
        restamp(hub.store, conn)
        assign_officer(conn, officer_id="SPV09", site=BINTARA)
    assert info.private_path is not None
    signer = keys.load_signer(info.private_path)
    return encode_slip(SlipPayload(
        key_id=signer.key_id, household_id=BT_HOUSEHOLD, event_id=BT_EVENT, item="Kartu KKS",
        amount=None, expires=today + dt.timedelta(days=5), serial="S-BTR-0001"),
        sign=signer.sign)


@pytest.fixture
def scoped(hub: ThreadHub, tmp_path: Path) -> Iterator[tuple[Site, str]]:
    """A Kota Baru desk synced with a city hub that also holds Bintara; a Bintara slip."""
    seed_registry(hub.store, households=2)
    slip = _seed_bintara(hub, tmp_path)
    kb = Site.open(tmp_path / "kota-baru")
    sync_service.sync_now(site=kb, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    yield kb, slip
    kb.close()


def _check(site: Site, code: str) -> Verdict:
    engine = VerdictEngine(site.db)
    try:
        return engine.check(code, event_id=EVENT)
    finally:
        engine.close()


def test_a_signed_slip_of_another_site_names_it_on_a_scoped_desk(
        scoped: tuple[Site, str]) -> None:
    kb, slip = scoped
    conn = kb.db.raw()
    try:  # the desk holds Bintara's event, not its household
        assert conn.execute("SELECT 1 FROM households WHERE id = ?", (BT_HOUSEHOLD,)).fetchone() \
            is None
        assert conn.execute("SELECT 1 FROM events WHERE id = ?", (BT_EVENT,)).fetchone()
    finally:
        conn.close()
    v = _check(kb, slip)
    assert v.code.value == "WRONG_SITE"
    assert v.household_id == BT_HOUSEHOLD
    assert v.details["other_site"] == BINTARA
    assert v.message == ("Undangan ini untuk lokasi penyaluran Kelurahan Bintara; keluarga "
                         "ini tidak terdaftar di lokasi ini.")
    assert v.next_step.startswith("Arahkan ke lokasi penyaluran Kelurahan Bintara")
    typed = _check(kb, BT_NIK)  # no slip: the desk cannot know where, but says it may be
    assert typed.code.value == "UNKNOWN"
    assert "terdaftar di lokasi lain" in typed.next_step


def _push(hub: ThreadHub, device: str, household: str = BT_HOUSEHOLD,
          **changes: object) -> dict[str, object]:
    """A WRONG_SITE hand-over of a Bintara household at Kota Baru, pushed as a raw device."""
    token = enrol_raw(hub.url, enrol_code(hub.store), device)["token"]
    e = chain(device, 1, household=household)[0]
    e.update(verdict="WRONG_SITE", **changes)
    e["hash"] = entry_hash(e)
    e["signature"] = key_for(device).sign_entry(e["hash"])
    answer: dict[str, object] = httpx.post(
        hub.url + "/api/v1/journal", json={"entries": [e]},
        headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    return answer


def test_the_hub_accepts_the_supervisors_override_and_counts_it_apart(
        hub: ThreadHub, scoped: tuple[Site, str], tmp_path: Path) -> None:
    kb, slip = scoped
    done = record_handover(site=kb, event_id=EVENT, code=slip, officer_id="PTG01",
                           identity=IdentityCheck(ktp_seen=True, checked_by="PTG01"),
                           override_by="SPV01", override_reason="Sakit, tidak bisa ke Bintara")
    assert done.verdict.code.value == "WRONG_SITE"
    result = sync_service.sync_now(site=kb)
    assert (result.refused, result.problems, result.acked_seq) == (0, [], 1)
    j, q = HubJournal.__table__, HubQuarantine.__table__
    with hub.store.read() as conn:
        stored = conn.execute(select(j.c.household_id, j.c.verdict, j.c.override_by, j.c.reason)
                              .where(j.c.uuid == done.uuid)).one()
        assert conn.execute(select(q.c.problem)).all() == []
    assert tuple(stored) == (BT_HOUSEHOLD, "WRONG_SITE", "SPV01", "Sakit, tidak bisa ke Bintara")
    c = counts.event_counts(kb.db.engine, EVENT)
    assert (c.allocated, c.collected, c.outside) == (2, 0, 1)
    # Another Kota Baru desk pulls it: counted apart there too, and the slip now reads as
    # collected (the household is still not on that desk).
    kb2 = Site.open(tmp_path / "kota-baru-2")
    try:
        sync_service.sync_now(site=kb2, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        c2 = counts.event_counts(kb2.db.engine, EVENT)
        assert (c2.collected, c2.outside) == (0, 1)
        again = _check(kb2, slip)
        assert again.code.value == "ALREADY_COLLECTED"
        assert again.details["collected_uuid"] == done.uuid
    finally:
        kb2.close()
    # Without an approving supervisor of the device's own site, it is still quarantined; so is
    # a household entitled elsewhere only in another programme (no KKS card to hand over).
    for i, changes in enumerate(({}, {"override_by": "PTG01"}, {"override_by": "SPV09"},
                                 {"override_by": "SPV01", "household": "BTR-0002"})):
        answer = _push(hub, f"forger{i}", **changes)
        assert answer["problem"] == "not_entitled", changes
        assert answer["acked_seq"] == 0
    with hub.store.read() as conn:
        assert len(conn.execute(select(q.c.problem)).all()) == 4
