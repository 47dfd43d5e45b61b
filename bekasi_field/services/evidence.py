"""Evidence files (photo, signature) stored by SHA-256, durably, before their journal entry.

Layout: evidence_dir/<sha[:2]>/<sha>. Written to a temp file, fsynced, renamed into place, and
the directory fsynced, so a crash leaves either no file or the whole file, never a torn one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import fsync_dir, write_durably
from bekasi_field.i18n import tr

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


def store_evidence(evidence_dir: Path, data: bytes | str | os.PathLike[str]) -> str:
    """Store `data` (bytes or a file path) durably; returns its SHA-256 hex."""
    content = read_evidence_input(data)
    sha = hashlib.sha256(content).hexdigest()
    target = evidence_path(evidence_dir, sha)
    if target.exists() and target.stat().st_size == len(content):
        return sha
    write_durably(target, content)
    fsync_dir(Path(evidence_dir))  # the <sha[:2]> folder may be new
    log.info("evidence stored: %s (%d bytes)", sha[:12], len(content))
    return sha
