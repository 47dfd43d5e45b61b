"""The roster import's writer process: SQLite writes on the second core while this one checks.

Checking a row costs about as much Python as writing it, so a big device import splits them.
This process reads and checks; a child process (multiprocessing "spawn": safe from a Qt
worker thread and in the PyInstaller build) holds the one write transaction and takes
chunks of checked rows over a pipe, as marshal (four times cheaper than pickle for tuples of
text). The pipe's buffer is the back-pressure.

The child never commits on its own. It commits only on "commit", and rolls back on
"rollback", on an error or when the pipe closes (the importer was interrupted or killed). So
the snapshot is the old one or the new one, never half.
"""

from __future__ import annotations

import gc
import logging
import marshal
import multiprocessing
import signal
import sys
import types
from multiprocessing.connection import Connection
from typing import Any, NoReturn, cast

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.store import opener
from bekasi_field.store.opener import DbFile
from bekasi_field.store.roster_apply import Row, WriteCounts, apply_rows, seal_members
from bekasi_field.store.roster_sqlite import SqliteRosterWriter

log = logging.getLogger(__name__)
READY_TIMEOUT_S = 120  # start-up plus BEGIN IMMEDIATE waiting out another writer's lock
STOP_TIMEOUT_S = 60


class WriterUnavailable(BekasiError):
    """The writer process could not be started; no row was written (see import_roster)."""


class ProcessSink:
    """Parent side: write(), then commit() or rollback(); the same calls as an InlineSink."""

    def __init__(self, db: DbFile) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe(duplex=True)
        # The key reaches the child through spawn's pipe (pickled arguments), never through
        # its command line or environment.
        self._proc = ctx.Process(target=serve, args=(child, db), name="roster-writer",
                                 daemon=True)
        try:
            _start_without_main(self._proc)
        except OSError as exc:  # no process to be had (limits, memory): nothing written yet
            self._conn.close()
            child.close()
            raise WriterUnavailable(tr("roster.writer_died", code=exc.strerror)) from exc
        child.close()  # only the child holds its end now: our exit is its EOF
        try:
            if not self._conn.poll(READY_TIMEOUT_S):
                raise WriterUnavailable(tr("roster.writer_died", code="timeout"))
            try:
                self._expect("ready")
            except BekasiError as exc:  # died before its transaction began: nothing written
                raise WriterUnavailable(str(exc)) from exc
        except BaseException:
            self._stop()
            raise
        log.info("roster writer process %s started", self._proc.pid)

    def write(self, households: list[Row], members: list[Row]) -> None:
        if self._conn.poll():  # the child only speaks early to say it failed
            self._raise_failure()
        self._send(("rows", households, members))

    def commit(self) -> WriteCounts:
        self._send(("commit",))
        msg = self._expect("done")
        self._stop()
        return WriteCounts.from_tuple(msg[1])

    def rollback(self) -> None:
        try:
            self._conn.send_bytes(marshal.dumps(("rollback",)))
        except OSError:
            pass
        self._stop()

    def _send(self, msg: tuple[Any, ...]) -> None:
        try:
            self._conn.send_bytes(marshal.dumps(msg))
        except OSError:
            self._raise_failure()  # it stopped reading: its last word says why

    def _raise_failure(self) -> NoReturn:
        """The child stopped early: raise its error, or say that it died."""
        self._expect("error")  # an error message is raised there
        raise AssertionError("unreachable")

    def _expect(self, kind: str) -> tuple[Any, ...]:
        try:
            msg = marshal.loads(self._conn.recv_bytes())
        except (EOFError, OSError):
            self._proc.join(STOP_TIMEOUT_S)
            raise BekasiError(tr("roster.writer_died", code=self._proc.exitcode)) from None
        if msg[0] == "error":
            raise _error(msg[1], msg[2], msg[3])
        if msg[0] != kind:
            raise BekasiError(tr("roster.writer_died", code=f"unexpected {msg[0]!r}"))
        return msg  # type: ignore[no-any-return]

    def _stop(self) -> None:
        """Close our end and wait for the child (its rollback or commit) to finish."""
        self._conn.close()
        self._proc.join(STOP_TIMEOUT_S)
        if self._proc.is_alive():
            log.warning("roster writer process %s did not stop; killed", self._proc.pid)
            self._proc.kill()
            self._proc.join(5)


def _start_without_main(proc: multiprocessing.process.BaseProcess) -> None:
    """Start `proc` without spawn re-running the caller's main script in the child (a script
    without an `if __name__ == "__main__"` guard would import again there). The child needs
    nothing from __main__: its target is this module's serve()."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        proc.start()
    finally:
        sys.modules["__main__"] = main


def _error(module: str, name: str, text: str) -> BaseException:
    """The child's exception, raised again here: the database driver's own kinds as
    themselves."""
    kind = getattr(opener.dbapi, name, None) if module.startswith("sqlcipher3") else None
    if isinstance(kind, type) and issubclass(kind, opener.Error):
        return cast(BaseException, kind(text))
    return BekasiError(tr("roster.writer_failed", detail=f"{name}: {text}"))


def serve(conn: Connection, db: DbFile) -> None:
    """Child side: one transaction, chunks applied as they come, committed only when told."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches us too: the parent decides
    gc.disable()  # millions of small tuples, no cycles (as in the parent)
    writer: SqliteRosterWriter | None = None
    try:
        # Indexes are kept and filled as rows go in: that work overlaps the parent's checking,
        # where dropping and rebuilding them (what an in-process import does) would be a
        # serial tail after the last row.
        writer = SqliteRosterWriter(db, rebuild_indexes=False)
        writer.begin()
        conn.send_bytes(marshal.dumps(("ready",)))
        counts = WriteCounts()
        while True:
            try:
                msg = marshal.loads(conn.recv_bytes())
            except EOFError:
                msg = ("rollback",)  # the importer is gone: never commit on our own
            if msg[0] == "rows":
                apply_rows(writer, counts, msg[1], seal_members(msg[2]))
            elif msg[0] == "commit":
                writer.commit()
                writer = None
                conn.send_bytes(marshal.dumps(("done", counts.as_tuple())))
                return
            else:
                writer.rollback()
                writer = None
                return
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        if writer is not None:
            try:
                writer.rollback()
            except opener.Error:
                pass  # closing the connection rolls back anyway
        try:
            conn.send_bytes(marshal.dumps(("error", type(exc).__module__, type(exc).__name__,
                                           str(exc))))
        except OSError:
            pass
    finally:
        conn.close()
