"""Every pushed entry is checked against the hub's registry: an event of another site, an
officer that does not exist (NOBODY), a verdict that allows nothing, an unknown kind... the
batch is quarantined with the reason and nothing of it is stored."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from helpers_hub import EVENT, PIN_HASH, ThreadHub, chain, enrol_code, enrol_raw, seed_registry
from sqlalchemy import func, insert, select
from sqlmodel import SQLModel

from bekasi_field.hub.models import HubJournal, HubQuarantine
from bekasi_field.hub.officer_sites import assign_officer

OTHER_EVENT = "EV-KKS-BINTARA"


def _seed_other_site(hub: ThreadHub) -> None:
    """An event at Bintara for KPM-0001 too, an officer of Bintara, an inactive officer."""
    t = SQLModel.metadata.tables
    today = dt.date.today()
    with hub.store.write() as conn:
        conn.execute(insert(t["events"]).values(
            id=OTHER_EVENT, name="KKS Bintara", programme="KKS", site_kelurahan="Bintara",
            served_kelurahan=json.dumps(["Bintara"]), start_date=today, end_date=today,
            item="Kartu KKS", amount=None, require_photo=False, require_signature=False,
            allow_proxy=True, status="open", created_at="2026-01-01T00:00:00Z", version=0))
        conn.execute(insert(t["entitlements"]).values(
            event_id=OTHER_EVENT, household_id="KPM-0001", item="Kartu KKS", amount=None,
            slip_serial="S-B-1", version=0))
        conn.execute(insert(t["officers"]), [
            {"id": o, "name": o, "role": "petugas", "pin_hash": PIN_HASH, "active": active,
             "failed_attempts": 0, "locked_until": None, "version": 0}
            for o, active in (("PTGB1", True), ("OLD01", False))])
        assign_officer(conn, officer_id="PTGB1", site="Bintara")
        assign_officer(conn, officer_id="OLD01", site="Kota Baru")


CASES = {
    "event_of_other_site": {"event": OTHER_EVENT},
    "unknown_event": {"event": "EV-NOWHERE"},
    "unknown_officer": {"officer": "NOBODY"},
    "officer_of_other_site": {"officer": "PTGB1"},
    "inactive_officer": {"officer": "OLD01"},
    "not_entitled": {"household": "KPM-9999"},
    "verdict_not_allowed": {"verdict": "NOT_ENTITLED"},
    "override_without_supervisor": {"verdict": "WRONG_SITE"},
    "unknown_kind": {"kind": "bogus"},
}
REASON = {"officer_of_other_site": "unknown_officer", "inactive_officer": "unknown_officer",
          "override_without_supervisor": "verdict_not_allowed"}


def _entries(device: str, *, event: str = EVENT, officer: str = "PTG01",
             household: str = "KPM-0001", verdict: str = "ELIGIBLE",
             kind: str = "handover") -> list[dict]:
    from helpers_hub import key_for

    from bekasi_field.domain.journal_chain import entry_hash
    good = chain(device, 1)  # a fine first entry: the whole batch goes, or none of it
    bad = chain(device, 1, start_seq=2, prev=good[0]["hash"], event=event, kind=kind,
                household=household, officer=officer)[0]
    bad["verdict"] = verdict
    bad["hash"] = entry_hash(bad)
    bad["signature"] = key_for(device).sign_entry(bad["hash"])
    return [*good, bad]


def test_each_entry_the_registry_does_not_allow_is_quarantined_with_its_reason(
        hub: ThreadHub) -> None:
    seed_registry(hub.store)
    _seed_other_site(hub)
    for i, (case, change) in enumerate(CASES.items()):
        device = f"attacker{i}"
        token = enrol_raw(hub.url, enrol_code(hub.store), device)["token"]
        r = httpx.post(hub.url + "/api/v1/journal", json={"entries": _entries(device, **change)},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        reason = REASON.get(case, case)
        assert r["problem"] == reason, case
        assert r["acked_seq"] == 0 and {x["status"] for x in r["results"]} == {"quarantined"}
        with hub.store.read() as conn:
            q = conn.execute(select(HubQuarantine.__table__).where(
                HubQuarantine.__table__.c.device_id == device)).mappings().one()
        assert (q["problem"], q["seq"]) == (reason, 2), case
    with hub.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(HubJournal.__table__)).scalar() == 0


@pytest.mark.parametrize("supervisor", ["SPV01"])
def test_a_supervisors_override_of_wrong_site_is_accepted(hub: ThreadHub, supervisor: str) -> None:
    from helpers_hub import key_for

    from bekasi_field.domain.journal_chain import entry_hash
    seed_registry(hub.store)
    token = enrol_raw(hub.url, enrol_code(hub.store), "deskA")["token"]
    e = chain("deskA", 1)[0]
    e.update(verdict="WRONG_SITE", override_by=supervisor)
    e["hash"] = entry_hash(e)
    e["signature"] = key_for("deskA").sign_entry(e["hash"])
    r = httpx.post(hub.url + "/api/v1/journal", json={"entries": [e]},
                   headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert r["problem"] is None and r["acked_seq"] == 1
