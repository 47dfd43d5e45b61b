"""Sync a desk with the hub: enrol once, push the journal, pull the registry and others' entries.

Safe to call from a worker thread (the GUI's sync button and interval timer): every call opens
its own connections, one sync per database runs at a time, and every network call has a
timeout, so a dead or slow hub ends in HubUnreachable instead of a frozen desk. The device's
marks (acked seq, snapshot version, journal cursor) move only after the hub's answer, each in
the same transaction as the data it covers, so an interrupted sync simply resumes.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_chain import ChainProblem
from bekasi_field.i18n import tr
from bekasi_field.progress import ProgressFn, no_progress
from bekasi_field.services.device_key import device_key
from bekasi_field.services.evidence import evidence_key, read_evidence
from bekasi_field.services.site import Site
from bekasi_field.store.db import Database, set_meta, utc_now
from bekasi_field.sync import device_journal as dj
from bekasi_field.sync import tls_pin
from bekasi_field.sync.client import HubClient
from bekasi_field.sync.snapshot import apply_snapshot, verify_snapshot

log = logging.getLogger(__name__)

PUSH_BATCH = 500
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass
class SyncResult:
    pushed: int = 0
    acked_seq: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0  # entries the hub quarantined or refused (see the hub's review list)
    pulled_registry: int = 0  # of `pulled`: snapshot rows written or deleted
    pulled_journal: int = 0  # of `pulled`: other desks' entries learned
    snapshot_version: int = 0
    problems: list[str] = field(default_factory=list)
    complaints_pushed: int = 0  # complaints the hub stored (sync/complaints.py)
    complaints_acked: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"pushed": self.pushed, "acked_seq": self.acked_seq, "pulled": self.pulled,
                "conflicts": self.conflicts, "refused": self.refused,
                "snapshot_version": self.snapshot_version, "problems": self.problems,
                "pulled_registry": self.pulled_registry, "pulled_journal": self.pulled_journal,
                "complaints_pushed": self.complaints_pushed,
                "complaints_acked": self.complaints_acked}


class JournalBroken(BekasiError):
    """This desk's journal fails `journal verify`: nothing is pushed (nor pulled) until a
    supervisor has looked at it. `problem` names the first bad entry."""

    def __init__(self, problem: ChainProblem) -> None:
        self.problem = problem
        super().__init__(tr("sync.journal_broken", seq=problem.seq, device=problem.device_id,
                            uuid=problem.uuid or "-", problem=problem.problem))

    def problem_text(self) -> str:
        """The `problems` line of sync's JSON: kind, device, seq and uuid of the entry."""
        p = self.problem
        return f"journal_broken: {p.problem} device {p.device_id} seq {p.seq} uuid {p.uuid or '-'}"

    def as_dict(self) -> dict[str, object]:
        p = self.problem
        return {"device_id": p.device_id, "seq": p.seq, "uuid": p.uuid, "problem": p.problem}


def check_journal(db: Database) -> None:
    """Refuse to sync from a journal that fails `journal verify` (DESIGN §5): an edited,
    re-hashed, re-signed-by-nobody or cut entry must never reach the hub as if it were true.
    Every hash and link; the signatures of the entries this sync pushes (verify_journal)."""
    from bekasi_field.services.journal import verify_journal
    check = verify_journal(db, for_push=True)
    if check.first_bad is not None:
        log.warning("sync refused: the journal fails verify (%s at seq %d)",
                    check.first_bad.problem, check.first_bad.seq)
        raise JournalBroken(check.first_bad)


def _lock_for(db: Database) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(Path(db.path).resolve()), threading.Lock())


def acked_seq(db: Database) -> int:
    return int(db.get_meta("sync_acked_seq", "0") or 0)


def pending_count(db: Database) -> int:
    """Own journal entries the hub has not acknowledged yet."""
    conn = db.raw()
    try:
        return dj.count_own_after(conn, device_id=db.device_id, after=acked_seq(db))
    finally:
        conn.close()


def is_enrolled(db: Database) -> bool:
    return bool(db.get_meta("hub_token"))


@dataclass(frozen=True)
class SyncStatus:
    """What the desk shows next to its sync button (cheap: a few meta reads and one count)."""

    enrolled: bool
    hub_url: str | None
    pending: int
    acked_seq: int
    snapshot_version: int
    last_sync_at: str | None


def sync_status(db: Database) -> SyncStatus:
    return SyncStatus(enrolled=is_enrolled(db), hub_url=db.get_meta("hub_url"),
                      pending=pending_count(db), acked_seq=acked_seq(db),
                      snapshot_version=int(db.get_meta("snapshot_version", "0") or 0),
                      last_sync_at=db.get_meta("last_sync_at"))


def _set_metas(db: Database, values: dict[str, str]) -> None:
    with db.transaction() as conn:
        for k, v in values.items():
            set_meta(conn, k, v)


def enrol(*, site: Site, hub_url: str, code: str, timeout: float = 15.0,
          fingerprint: str | None = None) -> str:
    """Exchange a one-time code for this device's credentials; returns the site kelurahan.

    An https hub's certificate is pinned here (sync/tls_pin.py): when the officer gave the
    fingerprint shown at the hub, the certificate must match it, else nothing is enrolled."""
    tls_pin.require_secure(hub_url)
    cert = None
    if hub_url.lower().startswith("https://"):
        cert = tls_pin.fetch_certificate(hub_url, timeout=min(timeout, 5.0))
        seen = tls_pin.fingerprint(cert)
        if fingerprint and not tls_pin.matches(fingerprint, seen):
            raise BekasiError(tr("sync.hub_cert_not_expected", url=hub_url,
                                 seen=tls_pin.short(seen), expected=fingerprint))
    key = device_key(site.db)  # made now if the desk has none: its public half goes along
    # The code goes only to the certificate just checked (the same one, in the handshake).
    with HubClient(hub_url, timeout=timeout, tls_cert=cert) as client:
        answer = client.enrol(code=code, device_id=site.device_id, public_key=key.public_hex)
    values = {"hub_url": hub_url.rstrip("/"), "hub_token": answer.token,
              "hub_tls_cert": cert or "",
              "hub_id": answer.hub_id, "hub_public_key": answer.hub_public_key,
              "sync_acked_seq": "0", "sync_evidence_seq": "0", "snapshot_version": "0",
              "sync_journal_cursor": "0",
              "sync_released_cursor": "0"}
    if answer.site_kelurahan:
        values["site_kelurahan"] = answer.site_kelurahan
    _set_metas(site.db, values)
    log.info("enrolled at hub %s", answer.hub_id)
    return answer.site_kelurahan


def sync_now(*, site: Site, hub_url: str | None = None, enrol_code: str | None = None,
             progress: ProgressFn | None = None, timeout: float = 15.0,
             attempts: int = 4, backoff: float = 0.5, verify: bool = True,
             fingerprint: str | None = None) -> SyncResult:
    """One full sync; raises BekasiError (HubUnreachable, HubRejected, ...) with nothing lost.

    The journal is verified first (JournalBroken when it fails); `verify=False` only for a
    caller that has verified it since the last entry was written (services/auto_sync.py)."""
    progress = progress or no_progress
    db = site.db
    with _lock_for(db):
        if verify:
            check_journal(db)
        url = (hub_url or db.get_meta("hub_url") or "").rstrip("/")
        if not url:
            raise BekasiError(tr("sync.no_hub"))
        if enrol_code and (not is_enrolled(db) or db.get_meta("hub_url") != url):
            enrol(site=site, hub_url=url, code=enrol_code, timeout=timeout,
                  fingerprint=fingerprint)
        if not is_enrolled(db):
            raise BekasiError(tr("sync.not_enrolled", url=url))
        token = db.get_meta("hub_token")
        result = SyncResult()
        with HubClient(url, token=token, timeout=timeout, attempts=attempts, backoff=backoff,
                       tls_cert=_pinned(db, url)) as client:
            status = client.status()
            if status.hub_id != db.get_meta("hub_id"):
                raise BekasiError(tr("sync.other_hub", url=url))
            if not status.device_key_registered:  # enrolled before entries were signed
                client.register_key(device_key(db).public_hex)
            _push(site, client, result, hub_acked=status.acked_seq, progress=progress)
            _push_complaints(site, client, result)
            _pull_snapshot(site, client, result, hub_version=status.snapshot_version,
                           hub_scope=status.snapshot_scope)
            _pull_journal(site, client, result)
            result.conflicts = client.status().open_conflicts
        _set_metas(db, {"last_sync_at": utc_now(), "hub_url": url})
        log.info("sync: pushed %d, acked %d, pulled %d, conflicts %d, refused %d",
                 result.pushed, result.acked_seq, result.pulled, result.conflicts, result.refused)
        return result


def _pinned(db: Database, url: str) -> str | None:
    """The certificate pinned at enrolment; an https hub without one is refused (a desk
    enrolled over plain HTTP enrols again to move to TLS)."""
    cert = db.get_meta("hub_tls_cert") or None
    if cert is None and url.lower().startswith("https://"):
        raise BekasiError(tr("sync.hub_not_pinned", url=url))
    return cert


def _push(site: Site, client: HubClient, result: SyncResult, *, hub_acked: int,
          progress: ProgressFn) -> None:
    db, device = site.db, site.device_id
    mark = acked_seq(db)
    if hub_acked != mark:
        # The hub's answer is the truth about what it holds: a lost reply (it stored, we did
        # not hear) moves us forward, a hub restored from an older backup moves us back.
        log.info("hub holds seq %d, device mark was %d", hub_acked, mark)
        mark = hub_acked
        _set_metas(db, {"sync_acked_seq": str(mark)})
    conn = db.raw()
    try:
        _evidence_catch_up(site, client, conn, upto=mark)
        total = dj.count_own_after(conn, device_id=device, after=mark)
        done = 0
        progress(0, total)
        while True:
            batch = dj.own_entries_after(conn, device_id=device, after=mark, limit=PUSH_BATCH)
            if not batch:
                break
            answer = client.push(batch)
            bad = [r for r in answer.results if r.status in ("quarantined", "refused")]
            result.pushed += sum(1 for r in answer.results if r.status == "stored")
            if answer.acked_seq != mark:
                mark = answer.acked_seq
                _set_metas(db, {"sync_acked_seq": str(mark)})
            # Evidence after its entries (the hub stores only files a stored entry names);
            # cut here, the next sync's catch-up sends it.
            held = {r.uuid for r in answer.results if r.status in ("stored", "duplicate")}
            _upload_evidence(site, client, [e for e in batch if e["uuid"] in held])
            _set_metas(db, {"sync_evidence_seq": str(mark)})
            if bad:
                result.refused += len(bad)
                result.problems.append(answer.problem or "refused")
                log.warning("hub refused %d entries: %s", len(bad), answer.problem)
                break
            done += len(batch)
            progress(min(done, total), total)
            if answer.acked_seq < batch[-1]["seq"]:
                break  # no progress: never loop on the same batch
    finally:
        conn.close()
    result.acked_seq = mark


def _evidence_catch_up(site: Site, client: HubClient, conn: sqlite3.Connection, *,
                       upto: int) -> None:
    """Evidence of entries the hub holds but whose files it may lack: a sync cut between a
    push and its uploads, or a reply lost after the hub stored the batch."""
    db = site.db
    done = int(db.get_meta("sync_evidence_seq", "") or db.get_meta("sync_acked_seq", "0") or 0)
    while done < upto:
        batch = [e for e in dj.own_entries_after(conn, device_id=site.device_id, after=done,
                                                 limit=PUSH_BATCH) if e["seq"] <= upto]
        if not batch:
            break
        _upload_evidence(site, client, batch)
        done = int(batch[-1]["seq"])
        _set_metas(db, {"sync_evidence_seq": str(done)})
    if done > upto:  # a hub restored from an older backup: the entries go again, and files
        _set_metas(db, {"sync_evidence_seq": str(upto)})


def _push_complaints(site: Site, client: HubClient, result: SyncResult) -> None:
    from bekasi_field.sync.complaints import push_complaints
    from bekasi_field.sync.site_keys import push_desk_name, refresh_site_keys
    push_desk_name(site.db, client)  # "Meja 2", for the other desks' SUDAH DIAMBIL
    refresh_site_keys(site.db, client)  # so this desk verifies its site's receipts offline
    done = push_complaints(site.db, client)
    result.complaints_pushed, result.complaints_acked = done.pushed, done.acked_seq
    result.refused += done.refused
    result.problems += [f"complaints: {p}" for p in done.problems]


def _upload_evidence(site: Site, client: HubClient, batch: list[dict[str, Any]]) -> None:
    hashes = dj.evidence_hashes(batch)
    if not hashes:
        return
    key = evidence_key(site)
    for sha in client.evidence_missing(hashes):
        data = read_evidence(site.layout.evidence_dir, sha, key=key)
        if data is None:
            log.warning("evidence %s… named in the journal is missing on this desk", sha[:12])
            continue
        client.put_evidence(sha, data)


def _pull_snapshot(site: Site, client: HubClient, result: SyncResult, *,
                   hub_version: int, hub_scope: str | None = None) -> None:
    db = site.db
    since = int(db.get_meta("snapshot_version", "0") or 0)
    held_scope = db.get_meta("snapshot_scope") or ""
    if since and since == hub_version and (hub_scope or "") == held_scope:
        result.snapshot_version = since  # nothing new: a sync every few seconds stays cheap
        return
    body, signature = client.snapshot(since=since, hub_id=db.get_meta("hub_id"),
                                      scope=held_scope or None)
    payload = verify_snapshot(body, signature, public_key=db.get_meta("hub_public_key") or "")
    if payload.get("hub_id") != db.get_meta("hub_id"):
        raise BekasiError(tr("sync.other_hub", url=client.base_url))
    version = int(payload["version"])
    if not payload.get("full") and version <= since:
        result.snapshot_version = since
        return
    new_scope = str(payload.get("scope") or "")
    own = db.device_id
    with db.transaction() as conn:
        rows = apply_snapshot(conn, payload)
        set_meta(conn, "snapshot_version", str(version))
        if new_scope != held_scope:
            set_meta(conn, "snapshot_scope", new_scope)
            # Households new to this desk's scope bring their past entries: pull the journal
            # from the start again (entries already here are skipped).
            set_meta(conn, "sync_journal_cursor", "0")
            set_meta(conn, "sync_released_cursor", "0")
            if payload.get("full"):
                _drop_foreign_out_of_scope(conn, own=own)
    result.pulled += rows
    result.pulled_registry += rows
    result.snapshot_version = version


def _drop_foreign_out_of_scope(conn: Any, *, own: str) -> None:
    """Other desks' entries of households no longer on this desk (pulled before the hub
    scoped pulls, or before the scope shrank) go with those households: they name people of
    other sites. This desk's own entries are never touched; the journal verifies as before
    (another device's entries may be a partial range)."""
    gone = conn.execute(
        "DELETE FROM journal WHERE device_id != ? AND household_id IS NOT NULL "
        "AND household_id NOT IN (SELECT id FROM households)", (own,)).rowcount
    if gone:
        log.info("snapshot scope: %d entries of other sites' households removed", gone)


def _pull_journal(site: Site, client: HubClient, result: SyncResult) -> None:
    db = site.db
    cursor = int(db.get_meta("sync_journal_cursor", "0") or 0)
    released = int(db.get_meta("sync_released_cursor", "0") or 0)
    for _ in range(100_000):  # bounded: every page moves a cursor or ends the loop
        page = client.pull_journal(after=cursor, released_after=released)
        entries = [e.model_dump() for e in (*page.entries, *page.released)]
        with db.transaction() as conn:
            dj.remember_device_keys(conn, page.device_keys)
            learned = dj.insert_remote(conn, entries, received_at=utc_now())
            set_meta(conn, "sync_journal_cursor", str(page.next_cursor))
            set_meta(conn, "sync_released_cursor", str(page.next_released))
        result.pulled += learned
        result.pulled_journal += learned
        moved = (page.next_cursor, page.next_released) != (cursor, released)
        cursor, released = page.next_cursor, page.next_released
        if not page.more or not moved:
            break


def export_bundle(*, site: Site, path: Path,
                  progress: ProgressFn | None = None) -> dict[str, object]:
    """`bundle export` (and the desk's Ctrl+Shift+U): this desk's journal and evidence for the
    hub, sealed (USB stick); `progress(done, total)` as the evidence is read."""
    from bekasi_field.sync.device_bundle import export_journal_bundle
    with _lock_for(site.db):
        check_journal(site.db)  # a bundle is a sync by file: the same refusal
        key = evidence_key(site)
        return export_journal_bundle(
            db=site.db, path=path,
            evidence=lambda sha: read_evidence(site.layout.evidence_dir, sha, key=key),
            progress=progress)


def import_bundle(*, site: Site, path: Path) -> dict[str, object]:
    """`bundle import`: a hub snapshot bundle (registry + other desks' entries), all or nothing."""
    from bekasi_field.sync.device_bundle import import_snapshot_bundle
    with _lock_for(site.db):
        return import_snapshot_bundle(db=site.db, path=path)
