"""`sync --watch`: one JSON line per round against a real hub; backoff while it is down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_hub import ThreadHub, enrol_code, handover, seed_registry

from bekasi_field.services import auto_sync
from bekasi_field.services.site import Site


def test_watch_prints_one_json_line_per_round_and_pushes(hub: ThreadHub, tmp_path: Path,
                                                         cli) -> None:
    seed_registry(hub.store, households=3)
    home = tmp_path / "desk"
    r = cli("sync", "--home", home, "--hub", hub.url, "--enrol", enrol_code(hub.store),
            "--watch", "--interval", "0.2", "--rounds", "1", "--json")
    assert r.code == 0, r.err
    with Site.open(home) as site:
        handover(site, "KPM-0001")
    r = cli("sync", "--home", home, "--watch", "--interval", "0.2", "--rounds", "3", "--json")
    assert r.code == 0, r.err
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [d["round"] for d in lines] == [1, 2, 3]
    assert all(d["ok"] and d["online"] for d in lines)
    assert [d["pushed"] for d in lines] == [1, 0, 0] and lines[-1]["pending"] == 0
    assert lines[0]["next_in_s"] == pytest.approx(0.2)


def test_watch_backs_off_while_the_hub_is_down(hub: ThreadHub, tmp_path: Path, cli,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    seed_registry(hub.store, households=3)
    home = tmp_path / "desk"
    assert cli("sync", "--home", home, "--hub", hub.url, "--enrol",
               enrol_code(hub.store)).code == 0
    with Site.open(home) as site:
        handover(site, "KPM-0002")
    hub.stop()
    monkeypatch.setattr(auto_sync, "MAX_BACKOFF_S", 0.4)  # keep the test short
    r = cli("sync", "--home", home, "--watch", "--interval", "0.1", "--rounds", "3", "--json")
    assert r.code == 0, r.err
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [(d["online"], d["pending"]) for d in lines] == [(False, 1)] * 3
    assert all(d["error"] for d in lines)
    assert [d["next_in_s"] for d in lines] == [0.4, 0.4, 0.4]  # capped backoff, not 0.1


def test_backoff_doubles_up_to_the_cap(site: Site) -> None:
    loop = auto_sync.AutoSync(site, interval=5)
    delays = []
    for failures in range(8):
        loop.failures = failures
        delays.append(loop.next_delay())
    assert delays == [5, 10, 20, 40, 60, 60, 60, 60]


def test_bad_watch_options_exit_3(cli, tmp_path: Path) -> None:
    r = cli("sync", "--home", tmp_path / "d", "--watch", "--interval", "0")
    assert r.code == 3 and "--interval" in r.err
