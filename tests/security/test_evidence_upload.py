"""Evidence uploads (issue 12.7): the hub reads at most 20 MB of a body and says 413 the moment
it passes, stores only files a stored entry of the uploading device names, and keeps each
device within a quota; the desk sends its entries first, then their files, and catches up on
files a cut sync left behind."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers_hub import (
    ProcessHub,
    ThreadHub,
    chain,
    enrol_code,
    enrol_raw,
    handover,
    key_for,
    seed_registry,
)
from sqlalchemy import select

from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.hub.models import HubEvidence
from bekasi_field.hub.store import HubStore
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site
from bekasi_field.sync.client import HubRejected

MB = 1024 * 1024


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _push_naming(url: str, token: str, device: str, blobs: list[bytes]) -> None:
    """Push one hand-over per blob whose evidence names it (as a desk's photo would be)."""
    entries: list[dict[str, Any]] = []
    prev = GENESIS
    for i, blob in enumerate(blobs):
        [e] = chain(device, 1, start_seq=i + 1, prev=prev, household=f"KPM-{i + 1:04d}")
        e["evidence"] = json.dumps({"photo": hashlib.sha256(blob).hexdigest()})
        e["hash"] = entry_hash(e)  # the evidence field is hashed and signed: again
        e["signature"] = key_for(device).sign_entry(e["hash"])
        prev = e["hash"]
        entries.append(e)
    r = httpx.post(url + "/api/v1/journal", json={"entries": entries}, headers=_auth(token),
                   timeout=30)
    assert r.status_code == 200, r.text
    assert {x["status"] for x in r.json()["results"]} == {"stored"}, r.text


def _put(url: str, token: str, blob: bytes, sha: str | None = None) -> httpx.Response:
    return httpx.put(f"{url}/api/v1/evidence/{sha or hashlib.sha256(blob).hexdigest()}",
                     content=blob, headers={**_auth(token),
                                            "Content-Type": "application/octet-stream"},
                     timeout=30)


def _stored(store: HubStore) -> set[str]:
    e = HubEvidence.__table__
    with store.read() as conn:
        return set(conn.execute(select(e.c.sha256)).scalars())


def test_a_file_no_stored_entry_of_the_device_names_is_refused(hub: ThreadHub) -> None:
    seed_registry(hub.store, households=3)
    a = enrol_raw(hub.url, enrol_code(hub.store), "ev-deskA")["token"]
    b = enrol_raw(hub.url, enrol_code(hub.store), "ev-deskB")["token"]
    junk = b"\x00junk" * 1000
    # The attack of the report: files nothing refers to, stored on the hub's disk.
    r = _put(hub.url, a, junk)
    assert r.status_code == 403 and r.json()["code"] == "hub.evidence_unreferenced"
    assert "tidak dirujuk" in r.json()["detail"]
    photo, other = b"\xff\xd8 photo A" * 500, b"\xff\xd8 photo A2" * 500
    _push_naming(hub.url, a, "ev-deskA", [photo, other])
    # Desk B may not store desk A's files either (nothing of B names them).
    assert _put(hub.url, b, photo).status_code == 403
    assert _put(hub.url, a, photo).status_code == 204
    assert _put(hub.url, a, b"not the photo", hashlib.sha256(other).hexdigest()).status_code == 422
    assert _stored(hub.store) == {hashlib.sha256(photo).hexdigest()}


def _missing(url: str, token: str, hashes: list[str]) -> list[str]:
    r = httpx.post(url + "/api/v1/evidence/missing", json={"hashes": hashes},
                   headers=_auth(token), timeout=30)
    assert r.status_code == 200, r.text
    return list(r.json()["missing"])


def test_a_desk_learns_nothing_of_other_desks_files(hub: ThreadHub, tmp_path: Path) -> None:
    seed_registry(hub.store, households=4)
    site = Site.open(tmp_path / "deskA")
    try:
        # Desk A syncs as always: entries first, then asks which of its files are missing,
        # then sends them.
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        photo = b"\xff\xd8\xff\xe0 desk A" + bytes(range(256)) * 500
        handover(site, "KPM-0001", photo=photo)
        assert sync_service.sync_now(site=site).pushed == 1
    finally:
        site.close()
    held = hashlib.sha256(photo).hexdigest()
    assert _stored(hub.store) == {held}
    never = hashlib.sha256(b"a file no desk ever sent").hexdigest()
    b = enrol_raw(hub.url, enrol_code(hub.store), "ev-spyB")["token"]
    c = enrol_raw(hub.url, enrol_code(hub.store), "ev-deskC")["token"]
    pending = b"\xff\xd8 desk C, named but not sent yet" * 300
    _push_naming(hub.url, c, "ev-deskC", [pending])
    wanted = hashlib.sha256(pending).hexdigest()
    # The attack: desk B asks about A's file (held), C's file (named, not held) and a file
    # nobody sent. Before, the answer told them apart; now it is the same for all three.
    assert _missing(hub.url, b, [held, wanted, never]) == []
    assert _missing(hub.url, b, [held]) == _missing(hub.url, b, [never]) == []
    # Each desk still learns what it must send of its own files, and only that.
    assert _missing(hub.url, c, [held, wanted, never]) == [wanted]
    assert _put(hub.url, c, pending).status_code == 204
    assert _missing(hub.url, c, [wanted]) == []


def test_each_device_keeps_within_its_quota(hub: ThreadHub) -> None:
    seed_registry(hub.store, households=3)
    hub.server.config.app.state.evidence_quota = 1 * MB
    token = enrol_raw(hub.url, enrol_code(hub.store), "ev-quota")["token"]
    blobs = [bytes([i]) * (400 * 1024) for i in range(3)]
    _push_naming(hub.url, token, "ev-quota", blobs)
    assert [_put(hub.url, token, b).status_code for b in blobs[:2]] == [204, 204]
    r = _put(hub.url, token, blobs[2])
    assert r.status_code == 413 and r.json()["code"] == "hub.evidence_quota"
    assert "Kuota berkas bukti" in r.json()["detail"] and "1.0 MB" in r.json()["detail"]
    assert len(_stored(hub.store)) == 2


def test_the_desk_sends_files_after_their_entries_and_catches_up_after_a_cut(
        hub: ThreadHub, tmp_path: Path) -> None:
    seed_registry(hub.store, households=4)
    site = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        photos = [b"\xff\xd8\xff\xe0" + bytes([i]) * 300_000 for i in range(2)]
        for i, photo in enumerate(photos, start=1):
            handover(site, f"KPM-{i:04d}", photo=photo)
        # A quota too small: the entries go, their files are refused with the quota message.
        hub.server.config.app.state.evidence_quota = 100_000
        with pytest.raises(HubRejected) as refused:
            sync_service.sync_now(site=site)
        assert refused.value.status == 413 and "Kuota berkas bukti" in str(refused.value)
        assert sync_service.pending_count(site.db) == 0  # the entries are at the hub
        assert _stored(hub.store) == set()
        # The quota raised: the next sync sends the files of entries pushed before.
        hub.server.config.app.state.evidence_quota = 10 * MB
        result = sync_service.sync_now(site=site)
        assert result.pushed == 0
        assert _stored(hub.store) == {hashlib.sha256(p).hexdigest() for p in photos}
    finally:
        site.close()


def _rss_kb(pid: int) -> int | None:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


@pytest.fixture
def process_hub(tmp_path: Path) -> Iterator[tuple[ProcessHub, HubStore]]:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    store = HubStore.open(url)
    seed_registry(store, households=2)
    server = ProcessHub(url, tmp_path / "hub-home").start()
    yield server, store
    server.stop()
    store.dispose()


def test_a_300_mb_body_is_refused_while_it_is_read(
        process_hub: tuple[ProcessHub, HubStore]) -> None:
    server, store = process_hub
    assert server.proc is not None
    token = enrol_raw(server.url, enrol_code(store), "ev-big")["token"]
    photo = b"\xff\xd8 the real photo" * 100
    _push_naming(server.url, token, "ev-big", [photo])
    sha = hashlib.sha256(photo).hexdigest()
    before = _rss_kb(server.proc.pid)
    sent = 0
    chunk = b"\x00" * MB

    def body() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it by
        nonlocal sent
        for _ in range(300):
            sent += len(chunk)
            yield chunk

    answer: int | None = None
    try:
        r = httpx.put(f"{server.url}/api/v1/evidence/{sha}", content=body(),
                      headers=_auth(token), timeout=60)
        answer = r.status_code
    except httpx.TransportError:
        answer = None  # the hub closed the connection while we were still sending
    assert answer in (413, None)
    # The hub stopped reading soon after 20 MB (what the sockets buffer comes on top).
    assert sent < 80 * MB, sent
    # Declared too big: refused before one byte of the body is read.
    r = httpx.put(f"{server.url}/api/v1/evidence/{sha}", headers=_auth(token), timeout=60,
                  content=b"\x00" * (21 * MB))
    assert r.status_code == 413 and r.json()["detail"].startswith("Berkas bukti terlalu besar")
    after = _rss_kb(server.proc.pid)
    if before is not None and after is not None and sys.platform.startswith("linux"):
        # 104 -> 716 MB in the report; now at most one 20 MB body is held.
        assert after - before < 80 * 1024, (before, after)
    # The hub still serves: the real photo goes in.
    assert _put(server.url, token, photo).status_code == 204
