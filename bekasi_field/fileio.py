"""Durable file writes: temp file, fsync, rename, directory fsync; a crash leaves the old file or
the whole new one, never a torn one. Used for evidence files and sync bundles."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX). Windows cannot open a directory for fsync; NTFS journals
    the rename itself, so there is nothing to do there."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes, *, prefix: str = ".tmp-") -> None:
    """Write `data` to `path` atomically and durably (parent directories are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
