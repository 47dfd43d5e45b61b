"""A site hub relaying to its city hub: every entry its desks pushed goes up unchanged (each as
from its own device), with its evidence files, idempotently; the city's registry snapshot comes
down into the site hub's registry, restamped, so the desks pull it as usual.

The site hub enrols at the city hub once, like a desk (`hub --upstream URL --enrol CODE`, a code
made with `hub enrol-code --relay`); the credentials and the relay cursor (the last hub_seq the
city acknowledged) live in hub_meta. A round that cannot reach the city changes nothing; the next
one resumes from the cursor, and replays are stored once.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS
from bekasi_field.hub import crud
from bekasi_field.hub.models import HubEvidence, HubJournal
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.sync.client import HubClient
from bekasi_field.sync.snapshot import apply_snapshot, verify_snapshot

log = logging.getLogger(__name__)

BATCH = 500


@dataclass
class RelayRound:
    pushed: int = 0
    duplicates: int = 0
    evidence: int = 0
    pulled_registry: int = 0
    problems: list[str] = field(default_factory=list)


def relay_device_id(store: HubStore) -> str:
    return f"relay-{store.hub_id()}"  # "hub-<id>" names a hub's own journal (crud)


def _meta(store: HubStore, key: str) -> str | None:
    with store.read() as conn:
        return store.meta(conn, key)


def _set(store: HubStore, values: dict[str, str]) -> None:
    with store.write() as conn:
        for k, v in values.items():
            store.set_meta(conn, k, v)


def enrol_upstream(store: HubStore, *, url: str, code: str, timeout: float = 15.0) -> str:
    """Exchange a relay code at the city hub for this site hub's credentials."""
    from bekasi_field.sync import tls_pin
    from bekasi_field.sync.signing import public_hex
    tls_pin.require_secure(url)
    # An https city hub's certificate is pinned now, as a desk pins its hub's.
    cert = tls_pin.fetch_certificate(url) if url.lower().startswith("https://") else None
    with HubClient(url, timeout=timeout, tls_cert=cert) as client:
        # The site hub's device key at the city is its own signing key (snapshots, bundles).
        answer = client.enrol(code=code, device_id=relay_device_id(store), name="site hub",
                              public_key=public_hex(store.signing_key()))
    _set(store, {"upstream_url": url.rstrip("/"), "upstream_token": answer.token,
                 "upstream_tls_cert": cert or "",
                 "upstream_hub_id": answer.hub_id, "upstream_public_key": answer.hub_public_key,
                 "relay_cursor": "0", "upstream_snapshot_version": "0",
                 "upstream_site": answer.site_kelurahan or "", "upstream_snapshot_scope": ""})
    log.info("site hub enrolled at city hub %s", answer.hub_id)
    return answer.hub_id


def relay_round(store: HubStore, *, timeout: float = 15.0, attempts: int = 1) -> RelayRound:
    """Push what the city has not acknowledged, then pull its snapshot; raises BekasiError."""
    url, token = _meta(store, "upstream_url"), _meta(store, "upstream_token")
    if not url or not token:
        raise BekasiError(tr("relay.not_enrolled"))
    out = RelayRound()
    with HubClient(url, token=token, timeout=timeout, attempts=attempts,
                   tls_cert=_meta(store, "upstream_tls_cert") or None) as client:
        _push_up(store, client, out)
        _pull_snapshot(store, client, out)
    return out


def _push_up(store: HubStore, client: HubClient, out: RelayRound) -> None:
    j = HubJournal.__table__
    cursor = int(_meta(store, "relay_cursor") or 0)
    while True:
        with store.read() as conn:
            rows = [dict(r) for r in conn.execute(
                select(j).where(j.c.hub_seq > cursor).order_by(j.c.hub_seq).limit(BATCH)
            ).mappings()]
        if not rows:
            return
        entries = [{k: r[k] for k in ENTRY_COLUMNS} for r in rows]
        with store.read() as conn:
            keys = crud.device_keys(conn, {e["device_id"] for e in entries})
        answer = client._request("POST", "/relay/journal",
                                 json={"entries": entries, "device_keys": keys}).json()
        # Evidence after its entries (the city stores only files a stored entry names); the
        # cursor moves after both, so a round cut in between sends them again.
        held = {r["uuid"] for r in answer["results"] if r["status"] in ("stored", "duplicate")}
        out.evidence += _evidence_up(store, client, [e for e in entries if e["uuid"] in held])
        statuses = [r["status"] for r in answer["results"]]
        out.pushed += statuses.count("stored")
        out.duplicates += statuses.count("duplicate")
        if answer["problems"]:
            # Kept at the city for review; the cursor stays so nothing is skipped silently.
            out.problems += answer["problems"]
            log.warning("city hub refused relayed entries: %s", answer["problems"])
            return
        cursor = int(rows[-1]["hub_seq"])
        _set(store, {"relay_cursor": str(cursor)})


def _evidence_up(store: HubStore, client: HubClient, entries: list[dict[str, Any]]) -> int:
    hashes = sorted({h for e in entries for h in json.loads(e["evidence"] or "{}").values()
                     if isinstance(h, str)})
    if not hashes:
        return 0
    sent = 0
    e = HubEvidence.__table__
    for sha in client.evidence_missing(hashes):
        with store.read() as conn:
            data = conn.execute(select(e.c.data).where(e.c.sha256 == sha)).scalar_one_or_none()
        if data is None:
            log.warning("evidence %s… is not at this site hub yet", sha[:12])
            continue
        client.put_evidence(sha, bytes(data))
        sent += 1
    return sent


def _pull_snapshot(store: HubStore, client: HubClient, out: RelayRound) -> None:
    since = int(_meta(store, "upstream_snapshot_version") or 0)
    held_scope = _meta(store, "upstream_snapshot_scope") or ""
    status = client.status()
    if since and status.snapshot_version == since and (status.snapshot_scope or "") == held_scope:
        return
    upstream_id = _meta(store, "upstream_hub_id")
    # The city sends what this site needs (hub/scope.py), like to any of its desks.
    body, signature = client.snapshot(since=since, hub_id=upstream_id, scope=held_scope or None)
    payload = verify_snapshot(body, signature, public_key=_meta(store, "upstream_public_key")
                              or "")
    if payload.get("hub_id") != upstream_id:
        raise BekasiError(tr("sync.other_hub", url=client.base_url))
    with store.write() as conn:
        out.pulled_registry = apply_upstream(store, conn, payload)
        store.set_meta(conn, "upstream_snapshot_version", str(int(payload["version"])))
        store.set_meta(conn, "upstream_snapshot_scope", str(payload.get("scope") or ""))
        # The city sent the officers of this site: they serve it here too, so this hub
        # accepts its desks' entries in their name and sends them to its desks.
        site = store.meta(conn, "upstream_site") or ""
        officers = payload.get("tables", {}).get("officers", {})
        if site and officers.get("rows"):
            pos = officers["columns"].index("id")
            for row in officers["rows"]:
                assign_officer(conn, officer_id=str(row[pos]), site=site)
        restamp(store, conn)


def apply_upstream(store: HubStore, conn: Connection, payload: dict[str, Any]) -> int:
    """The city's snapshot into this site hub's registry, inside the caller's transaction:
    the desks' raw applier on a SQLite file, SQLAlchemy Core on PostgreSQL."""
    if store.is_sqlite:
        return apply_snapshot(conn.connection.dbapi_connection, payload)  # type: ignore[arg-type]
    from bekasi_field.hub.snapshot_apply import apply_snapshot_core
    return apply_snapshot_core(conn, payload)


class RelayThread:
    """Rounds every `interval` seconds on a daemon thread beside the uvicorn server, backing
    off (doubling, at most a minute) while the city is unreachable."""

    def __init__(self, store: HubStore, *, interval: float = 10.0) -> None:
        self.store, self.interval = store, interval
        self.stop = threading.Event()
        self.last: RelayRound | None = None
        self.thread = threading.Thread(target=self._run, name="relay", daemon=True)

    def start(self) -> RelayThread:
        self.thread.start()
        return self

    def _run(self) -> None:
        failures = 0
        while not self.stop.is_set():
            try:
                self.last = relay_round(self.store)
                failures = 0
            except BekasiError as exc:
                failures += 1
                log.info("relay round failed: %s", exc.message)
            except Exception:  # a bug must not kill the relay silently: logged, retried
                failures += 1
                log.exception("relay round crashed")
            delay = self.interval if failures == 0 else min(60.0, self.interval * 2 ** failures)
            self.stop.wait(delay)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
