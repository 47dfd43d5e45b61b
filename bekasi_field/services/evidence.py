"""Evidence files (photo, signature) stored by SHA-256, encrypted, durably, before their entry.

Layout: evidence_dir/<sha[:2]>/<sha>, where sha is the SHA-256 of the PLAINTEXT (what the
journal entry names and the hub checks); the file holds it sealed with AES-GCM under the
site's evidence key (store/sealed.py, the sha as associated data). Written to a temp file,
fsynced, renamed into place, and the directory fsynced, so a crash leaves either no file or
the whole file, never a torn one. Plain files of an earlier release are sealed at open.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import fsync_dir, write_durably
from bekasi_field.i18n import tr
from bekasi_field.store import sealed

if TYPE_CHECKING:
    from bekasi_field.services.site import Site

log = logging.getLogger(__name__)


def evidence_path(evidence_dir: Path, sha: str) -> Path:
    return Path(evidence_dir) / sha[:2] / sha


def read_evidence_input(data: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    path = Path(data)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BekasiError(tr("journal.evidence_missing", path=path)) from exc


def store_evidence(evidence_dir: Path, data: bytes | str | os.PathLike[str], *,
                   key: bytes) -> str:
    """Store `data` (bytes or a file path) sealed and durably; returns its plaintext SHA-256."""
    content = read_evidence_input(data)
    sha = hashlib.sha256(content).hexdigest()
    target = evidence_path(evidence_dir, sha)
    if target.exists() and read_evidence(evidence_dir, sha, key=key) is not None:
        return sha
    write_durably(target, sealed.seal(key, content, name=sha))
    fsync_dir(Path(evidence_dir))  # the <sha[:2]> folder may be new
    log.info("evidence stored: %s (%d bytes)", sha[:12], len(content))
    return sha


def read_evidence(evidence_dir: Path, sha: str, *, key: bytes) -> bytes | None:
    """The plaintext of evidence `sha`, checked against its hash; None when missing or broken."""
    path = evidence_path(evidence_dir, sha)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    try:
        content = sealed.unseal(key, blob, name=sha) if sealed.is_sealed(blob) else blob
    except sealed.SealBroken:
        log.warning("evidence %s… does not open with this site's key", sha[:12])
        return None
    if hashlib.sha256(content).hexdigest() != sha:
        return None
    return content


def evidence_key(site: Site) -> bytes:
    return site.data_key.subkey("evidence")


def encrypt_plain_evidence(site: Site) -> int:
    """Seal the plain evidence files an earlier release left (each replaced atomically)."""
    root = site.layout.evidence_dir
    if not root.is_dir():
        return 0
    key = None
    done = 0
    for path in root.glob("??/*"):
        if path.name.startswith(".") or not path.is_file():
            continue
        with path.open("rb") as fh:
            head = fh.read(len(sealed.MAGIC))
        if sealed.is_sealed(head):
            continue
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != path.name:
            continue  # not an evidence file of ours: leave it
        key = key or evidence_key(site)
        write_durably(path, sealed.seal(key, content, name=path.name))
        done += 1
    if done:
        log.info("%d plain evidence files sealed", done)
    return done
