"""A desk whose journal fails `journal verify` does not sync: `sync` exits 3 naming the first
bad entry (JSON `problems`), the automatic loop refuses every round and says why, a USB bundle
is not written, and the hub receives nothing of it."""

from __future__ import annotations

from pathlib import Path

from helpers_hub import ThreadHub, handover, rewrite_last_entry
from sqlalchemy import func, select

from bekasi_field.hub.models import HubJournal
from bekasi_field.services import sync_service
from bekasi_field.services.auto_sync import AutoSync
from bekasi_field.services.journal import verify_journal
from bekasi_field.services.site import Site


def _hub_entries(hub: ThreadHub) -> int:
    with hub.store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(HubJournal.__table__))
                   .scalar_one())


def test_sync_refuses_a_journal_that_fails_verify(hub: ThreadHub, desk: Site, cli,
                                                   tmp_path: Path) -> None:
    handover(desk, "KPM-0001")
    sync_service.sync_now(site=desk)
    assert _hub_entries(hub) == 1
    handover(desk, "KPM-0002")
    handover(desk, "KPM-0003")
    # The attacker rewrites the last, unsynced entry and moves the head along.
    rewrite_last_entry(desk, household_id="KPM-0004", scanned_code="KPM-0004")
    bad = verify_journal(desk.db).first_bad
    assert bad is not None and bad.seq == 3

    home = desk.layout.root
    r = cli("sync", "--home", home, "--json")
    assert r.code == 3
    assert r.json["pushed"] == 0 and r.json["problems"]
    assert r.json["first_bad"] == {"device_id": desk.device_id, "seq": 3, "uuid": bad.uuid,
                                   "problem": bad.problem}
    assert "no. 3" in r.err and bad.uuid in r.err and "Traceback" not in r.err
    assert r.json["pending"] == 2
    r = cli("sync", "--home", home)  # the plain text run says the same on stderr
    assert r.code == 3 and "sinkron ditolak" in r.err
    r = cli("bundle", "export", tmp_path / "usb.bkf", "--home", home)
    assert r.code == 3 and not (tmp_path / "usb.bkf").exists()
    assert _hub_entries(hub) == 1  # not even the good seq 2 went: the desk is not trusted

    # The desk's own loop refuses each round, says why, and keeps refusing.
    loop = AutoSync(desk, interval=0.2)
    for _ in range(2):
        report = loop.round()
        assert not report.ok and report.journal_broken is not None
        assert report.journal_broken["seq"] == 3 and report.problems
        assert report.error and "no. 3" in report.error
    assert _hub_entries(hub) == 1


def test_a_sound_journal_syncs_every_round_and_verifies_only_before_a_push(
        hub: ThreadHub, desk: Site) -> None:
    calls: list[bool] = []

    def counting(**kw: object) -> sync_service.SyncResult:
        calls.append(bool(kw.get("verify", True)))
        return sync_service.sync_now(**kw)  # type: ignore[arg-type]

    loop = AutoSync(desk, interval=0.2, sync=counting)
    assert loop.round().ok
    assert loop.round().ok  # nothing new to push: no re-hash of the whole journal
    handover(desk, "KPM-0005")
    assert loop.round().ok and loop.round().pushed == 0
    assert calls == [True, False, True, False]
    assert _hub_entries(hub) == 1
