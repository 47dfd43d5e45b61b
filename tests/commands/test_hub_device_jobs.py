"""`hub devices`, `hub revoke`, `hub quarantine` and `hub conflicts` on a SQLite hub database:
each job answers from the hub's database and lets the file go when it ends, refused or not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bekasi_field.hub import crud
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr


def _open_handles(path: Path) -> int:
    """File descriptors of this process on `path` (and its -wal/-shm/-journal files)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        pytest.skip("no /proc/self/fd on this platform")
    count = 0
    for fd in os.listdir(fds):
        try:
            target = os.readlink(fds / fd)
        except OSError:  # closed while listing
            continue
        count += target.startswith(str(path))
    return count


@pytest.fixture
def hub_file(tmp_path: Path) -> Path:
    """A hub database with one enrolled desk, deskA (at Kota Baru)."""
    path = tmp_path / "hub.db"
    store = HubStore.open(f"sqlite:///{path}")
    try:
        with store.write() as conn:
            code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru")
            crud.enrol_device(conn, code=code, device_id="deskA", name="Meja A")
    finally:
        store.dispose()
    assert _open_handles(path) == 0
    return path


def test_revoke_marks_the_desk_and_an_unknown_desk_is_refused(cli, hub_file: Path) -> None:
    db = ["--db", f"sqlite:///{hub_file}"]
    before = cli("hub", "devices", *db, "--json")
    assert before.code == 0, before.err
    assert [(d["id"], d["site_kelurahan"], d["revoked"]) for d in before.json["devices"]] == [
        ("deskA", "Kota Baru", False)]
    revoked = cli("hub", "revoke", "deskA", *db, "--json")
    assert (revoked.code, revoked.json) == (0, {"device_id": "deskA", "revoked": True})
    after = cli("hub", "devices", *db)
    assert after.code == 0 and "deskA" in after.out
    assert tr("hub.device_revoked_mark") in after.out
    unknown = cli("hub", "revoke", "deskZ", *db)
    assert unknown.code == 3 and tr("hub.unknown_device", device="deskZ") in unknown.err
    assert _open_handles(hub_file) == 0  # every job let the database go, the refused one too


def test_an_empty_quarantine_and_an_unknown_conflict(cli, hub_file: Path) -> None:
    db = ["--db", f"sqlite:///{hub_file}"]
    empty = cli("hub", "quarantine", *db, "--json")
    assert (empty.code, empty.json) == (0, {"quarantine": []})
    text = cli("hub", "quarantine", *db)
    assert text.code == 0 and text.out.strip() == tr("hub.no_quarantine")
    refused = cli("hub", "conflicts", "--reviewed", "404", *db)
    assert refused.code == 3 and tr("hub.unknown_conflict", id=404) in refused.err
    assert _open_handles(hub_file) == 0  # refused inside the job: the store is still disposed
    listed = cli("hub", "conflicts", *db, "--json")
    assert (listed.code, listed.json) == (0, {"conflicts": []})
