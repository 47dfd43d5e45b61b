"""Shared by the hub tests: a real uvicorn hub on 127.0.0.1, a seeded registry, chain entries."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid as uuidlib
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert
from sqlmodel import SQLModel

from bekasi_field.domain import pins
from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.hub import crud
from bekasi_field.hub.app import create_app
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore
from bekasi_field.services.device_key import DeviceKey
from bekasi_field.store import opener

PG_URL = os.environ.get("BEKASI_TEST_PG_URL")
EVENT = "EV-KKS-KB"
SITE = "Kota Baru"
PIN = "1111"  # the petugas's
PIN_HASH = pins.hash_pin(PIN)
SPV_PIN = "246810"  # a supervisor's PIN has at least 6 digits (domain.pins)
SPV_PIN_HASH = pins.hash_pin(SPV_PIN, "supervisor")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThreadHub:
    """A real uvicorn server in a thread of this process."""

    def __init__(self, store: HubStore) -> None:
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port,
                                log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ThreadHub:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("hub did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


class ProcessHub:
    """`bekasi-field hub` in a child process (to SIGKILL it)."""

    def __init__(self, db_url: str, home: Path, port: int | None = None,
                 extra: tuple[str, ...] = ()) -> None:
        """`extra`: more `hub` options, e.g. ("--tls",) or ("--cert", F, "--key", K)."""
        self.db_url, self.home, self.extra = db_url, home, extra
        self.port = port or free_port()
        tls = "--tls" in extra or "--cert" in extra
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = home / f"hub-{self.port}.log"

    def start(self) -> ProcessHub:
        self.home.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bekasi_field", "hub", "--home", str(self.home),
                 "--db", self.db_url, "--port", str(self.port), *self.extra],
                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace"))
            try:
                # Up or not: the certificate is the tests' business, not this wait's.
                if httpx.get(self.url + "/api/v1/health", timeout=1,
                             verify=False).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("hub process did not start")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no clean shutdown
        self.proc.wait(timeout=20)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)


def seed_registry(store: HubStore, *, households: int = 6, first: int = 1) -> list[str]:
    """A few Kota Baru households, one open KKS event for all of them, two officers."""
    t = SQLModel.metadata.tables
    ids = [f"KPM-{i:04d}" for i in range(first, first + households)]
    today = dt.date.today()
    with store.engine.begin() as conn:
        conn.execute(insert(t["households"]), [{
            "id": h, "no_kk": f"32750101{i:08d}", "address": f"Jl. Melati {i}", "rt": "001",
            "rw": "002", "kelurahan": SITE, "kecamatan": "Bekasi Barat", "desil": 1,
            "programs": "KKS", "status": "active", "kks_card": None, "content_hash": "",
            "version": 0} for i, h in enumerate(ids, start=first)])
        conn.execute(insert(t["members"]), [{
            "nik": f"3275014101{i:06d}", "household_id": h, "name": f"Warga {i}",
            "name_norm": f"warga {i}", "relationship": "Kepala Keluarga", "sex": "P",
            "birth_date": dt.date(1980, 1, 1), "is_recipient": True, "content_hash": "",
            "version": 0} for i, h in enumerate(ids, start=first)])
        if first == 1:
            conn.execute(insert(t["events"]).values(
                id=EVENT, name="KKS Kota Baru", programme="KKS", site_kelurahan=SITE,
                served_kelurahan=json.dumps([SITE]), start_date=today - dt.timedelta(days=1),
                end_date=today + dt.timedelta(days=6), item="Kartu KKS", amount=None,
                require_photo=False, require_signature=False, allow_proxy=True, status="open",
                created_at="2026-01-01T00:00:00Z", version=0))
            conn.execute(insert(t["officers"]), [
                {"id": o, "name": o, "role": r,
                 "pin_hash": SPV_PIN_HASH if r == "supervisor" else PIN_HASH, "active": True,
                 "failed_attempts": 0, "locked_until": None, "version": 0}
                for o, r in (("PTG01", "petugas"), ("SPV01", "supervisor"))])
        conn.execute(insert(t["entitlements"]), [{
            "event_id": EVENT, "household_id": h, "item": "Kartu KKS", "amount": None,
            "slip_serial": f"S-{h}", "version": 0} for h in ids])
    with store.write() as conn:
        restamp(store, conn)
        if first == 1:  # the officers serve the site (a desk of it may act in their name)
            for officer in ("PTG01", "SPV01"):
                assign_officer(conn, officer_id=officer, site=SITE)
    return ids


def enrol_code(store: HubStore, site: str = SITE) -> str:
    with store.write() as conn:
        return crud.create_enrol_code(conn, site_kelurahan=site)


# The signing key of every device a test enrolled with enrol_raw (or named with key_for).
DEVICE_KEYS: dict[str, DeviceKey] = {}


def key_for(device_id: str) -> DeviceKey:
    """The test device's signing key (made on first use, like a desk's at enrolment)."""
    if device_id not in DEVICE_KEYS:
        DEVICE_KEYS[device_id] = DeviceKey(device_id, Ed25519PrivateKey.generate())
    return DEVICE_KEYS[device_id]


def chain(device_id: str, n: int, *, start_seq: int = 1, prev: str = GENESIS,
          household: str = "KPM-0001", event: str = EVENT, kind: str = "handover",
          voids: str | None = None, key: DeviceKey | None = None,
          officer: str = "PTG01") -> list[dict[str, Any]]:
    """n hash-chained entries as a device writes them (same fields, same hashing), signed
    with `key` (default: the device's test key from key_for)."""
    key = key or key_for(device_id)
    out = []
    for seq in range(start_seq, start_seq + n):
        e = new_entry(
             uuid=str(uuidlib.uuid4()), device_id=device_id, seq=seq, kind=kind,
             event_id=event, household_id=household, officer_id=officer,
             site=SITE, recipient_nik=None, recipient_name=None, is_proxy=False,
             proxy_name=None, proxy_nik=None, proxy_relationship=None,
             proxy_letter_seen=False, identity="{}", evidence="{}",
             code_kind="household", scanned_code=household, verdict="ELIGIBLE",
             override_by=None, voids_uuid=voids, reason=None,
             created_at=f"2026-11-23T09:{seq // 60 % 60:02d}:{seq % 60:02d}.000Z",
             prev_hash=prev)
        e["hash"] = entry_hash(e)
        e["signature"] = key.sign_entry(e["hash"])
        prev = e["hash"]
        out.append(e)
    return out


def enrol_raw(url: str, code: str, device_id: str) -> dict[str, Any]:
    r = httpx.post(url + "/api/v1/enrol", json={"code": code, "device_id": device_id,
                                                "public_key": key_for(device_id).public_hex})
    r.raise_for_status()
    return r.json()


def handover(site: object, code: str, *, photo: bytes | None = None) -> object:
    """A desk hand-over of a plain code, with the KTP checked as the verdict asks."""
    from bekasi_field.services.journal import IdentityCheck, record_handover
    return record_handover(site=site, event_id=EVENT, code=code, officer_id="PTG01",
                           identity=IdentityCheck(ktp_seen=True, checked_by="PTG01"),
                           photo=photo)


def rewrite_last_entry(site: Any, **changes: object) -> None:
    """What an attacker with the desk's file can do: edit, re-hash, move the head along (here
    one who also holds its data key: the file alone is encrypted)."""
    conn = opener.connect(site.db.file, autocommit=False)
    conn.row_factory = opener.Row
    row = dict(conn.execute("SELECT * FROM journal ORDER BY seq DESC LIMIT 1").fetchone())
    row.update(changes)
    new_hash = entry_hash(row)
    conn.execute(f"UPDATE journal SET {', '.join(f'{k} = ?' for k in changes)}, hash = ? "
                 "WHERE uuid = ?", (*changes.values(), new_hash, row["uuid"]))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'journal_head'",
                 (f"{row['seq']}:{new_hash}",))
    conn.commit()
    conn.close()
