"""Encrypting a plain SQLite file of an earlier release, on its first open with a key.

  1. the plain file's WAL is folded in; a new encrypted copy is written beside it
     (`sqlcipher_export`, then user_version and application_id) and fsynced;
  2. the copy is checked row by row against the plain file (every table, every column, in
     rowid order) and by PRAGMA quick_check;
  3. only then: plain -> NAME.plain-old, copy -> NAME (two renames), the old file overwritten
     with zeros and removed.
Until the first rename the plain file is untouched and still opens; between the renames
finish_interrupted() puts it back (the conversion then runs again); after the second it
finishes the removal. So an interruption at any point leaves a working database.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from bekasi_field.domain.errors import DatabaseError
from bekasi_field.fileio import fsync_dir
from bekasi_field.i18n import tr
from bekasi_field.store import opener
from bekasi_field.store.opener import DbFile

log = logging.getLogger(__name__)

_SIDES = ("-wal", "-shm", "-journal")


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_with_sides(path: Path) -> None:
    for p in (path, *(_sibling(path, s) for s in _SIDES)):
        p.unlink(missing_ok=True)


def _wipe(path: Path) -> None:
    """Overwrite a plain file with zeros before removing it (best effort: an SSD or a
    journalling file system may keep old blocks; the README says so)."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            chunk = b"\0" * (1 << 20)
            left = size
            while left > 0:
                n = min(left, len(chunk))
                fh.write(chunk[:n])
                left -= n
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        log.warning("could not overwrite the old plain database (%s)", exc)
    _remove_with_sides(path)


def finish_interrupted(path: Path) -> None:
    """Complete or undo a conversion that stopped between its renames."""
    old = _sibling(path, ".plain-old")
    if not old.exists():
        _remove_with_sides(_sibling(path, ".encrypting"))
        return
    if path.exists():  # both renames done: only the removal of the plain copy is left
        _wipe(old)
    else:  # stopped between the renames: the plain file goes back, and is converted again
        os.replace(old, path)
        fsync_dir(path.parent)
    _remove_with_sides(_sibling(path, ".encrypting"))


def _tables(conn: object) -> list[tuple[str, bool]]:
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    return [(str(name), "WITHOUT ROWID" not in str(sql).upper()) for name, sql in rows]


def verify_copy(plain: DbFile, encrypted: DbFile) -> None:
    """Every row of every table equal in both files; raise DatabaseError naming the first
    difference otherwise."""
    src = opener.connect(plain, pragmas=False)
    dst = opener.connect(encrypted, pragmas=False)
    try:
        schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        if src.execute(schema).fetchall() != dst.execute(schema).fetchall():
            raise DatabaseError(tr("db.upgrade_failed", path=plain.path, detail="schema"))
        for pragma in ("user_version", "application_id"):
            if src.execute(f"PRAGMA {pragma}").fetchone() != \
                    dst.execute(f"PRAGMA {pragma}").fetchone():
                raise DatabaseError(tr("db.upgrade_failed", path=plain.path, detail=pragma))
        for name, has_rowid in _tables(src):
            order = " ORDER BY rowid" if has_rowid else ""
            sql = f'SELECT {"rowid, " if has_rowid else ""}* FROM "{name}"{order}'
            a, b = src.execute(sql), dst.execute(sql)
            while True:
                ra, rb = a.fetchmany(2000), b.fetchmany(2000)
                if ra != rb:
                    raise DatabaseError(tr("db.upgrade_failed", path=plain.path,
                                           detail=f"table {name}"))
                if not ra:
                    break
        problems = [r[0] for r in dst.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise DatabaseError(tr("db.upgrade_failed", path=plain.path,
                                   detail="; ".join(problems[:3])))
    finally:
        src.close()
        dst.close()


def encrypt_in_place(path: Path, *, key: bytes) -> None:
    """Convert the plain database at `path` to SQLCipher under `key` (see the module doc)."""
    tmp = _sibling(path, ".encrypting")
    _remove_with_sides(tmp)
    opener.create_private(tmp)
    plain = DbFile(path)
    conn = opener.connect(plain, pragmas=False)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        conn.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", (str(tmp),))
        conn.execute("SELECT sqlcipher_export('enc')").fetchall()
        conn.execute(f"PRAGMA enc.user_version = {version}")
        conn.execute(f"PRAGMA enc.application_id = {app_id}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    encrypted = DbFile(tmp, key)
    try:
        verify_copy(plain, encrypted)
        econn = opener.connect(encrypted)
        try:  # the copy in WAL mode like every device file, all of it in the main file
            econn.execute("PRAGMA journal_mode = WAL").fetchone()
            econn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            econn.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        _remove_with_sides(tmp)
        raise
    old = _sibling(path, ".plain-old")
    for side in _SIDES:  # no stale -wal/-shm of the copy, nor the plain file's (checkpointed)
        _sibling(tmp, side).unlink(missing_ok=True)
        _sibling(path, side).unlink(missing_ok=True)
    os.replace(path, old)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    _wipe(old)
    log.info("database %s encrypted (schema %d), plain file removed", path.name, version)
