"""Roster import: a CSV or XLSX export of DTSEN households into the snapshot, in one transaction.

Counts are over MEMBER rows: read = imported + updated + unchanged + rejected. Every rejected
row is reported with its spreadsheet row number, column and reason; household fields that
disagree between the members of one household are reported as warnings (the first member's
values are kept). The same function serves the device (sqlite3) and the hub (any Engine).
"""

from __future__ import annotations

import csv
import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.progress import ProgressFn
from bekasi_field.store import roster_values
from bekasi_field.store.roster_apply import InlineSink
from bekasi_field.store.roster_proc import ProcessSink, WriterUnavailable
from bekasi_field.store.roster_reader import open_roster
from bekasi_field.store.roster_rows import Rejection, RowChecker, shown
from bekasi_field.store.roster_writer import SqliteRosterWriter, open_writer, sqlite_file

log = logging.getLogger(__name__)

__all__ = ["ImportResult", "Rejection", "import_roster", "write_report"]
CHUNK_ROWS = 20_000
# From about this many rows a device import writes in a second process (store/roster_proc.py):
# starting it costs ~0.2 s, and below this the whole import takes about a second anyway.
PROCESS_MIN_ROWS = 30_000


@dataclass
class ImportResult:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    households_imported: int = 0
    households_updated: int = 0
    report_path: Path | None = None
    encoding: str = ""
    delimiter: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "read": self.read, "imported": self.imported, "updated": self.updated,
            "unchanged": self.unchanged, "rejected": self.rejected,
            "warnings": len(self.warnings),
            "households": {"imported": self.households_imported,
                           "updated": self.households_updated},
            "report": str(self.report_path) if self.report_path else None,
            "ignored_columns": self.ignored_columns, "seconds": round(self.seconds, 3),
        }


def import_roster(engine: Engine, path: Path, *, report_path: Path | None = None,
                  progress: ProgressFn | None = None,
                  default_kelurahan: str | None = None,
                  writer_process: bool | None = None) -> ImportResult:
    """Import `path` into the registry behind `engine`; all or nothing.

    `default_kelurahan` fills rows without a kelurahan (a kelurahan's own list often has no
    such column); it must be a kelurahan of Kota Bekasi. `writer_process`: write in a second
    process (device files only); None decides by the size of the file.
    """
    t0 = time.perf_counter()
    if report_path is not None:
        _check_writable(Path(report_path))
    default_kel = ""
    if default_kelurahan:
        try:
            default_kel = roster_values.kelurahan(default_kelurahan)[0]
        except roster_values.CellError as exc:
            raise BekasiError(tr("event.unknown_kelurahan", name=default_kelurahan,
                                 close=exc.values.get("close", "-"))) from None
    source = open_roster(Path(path), optional=("kelurahan",) if default_kel else ())
    roster_values.reset_caches()
    result = ImportResult(encoding=source.encoding, delimiter=source.delimiter,
                          ignored_columns=source.ignored)
    checker = RowChecker(default_kelurahan=default_kel,
                         has_occupation="pekerjaan" in source.positions)
    total = source.total_rows
    read = 0
    rows = source.rows()
    # Millions of small tuples and dicts make the cyclic GC rescan the heap over and over;
    # nothing here builds cycles, so it stays off for the import.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    # A big device import writes in a second process while this one checks (a second thread
    # was tried and lost: the GIL went back and forth on every row). Small files, and the
    # hub's engines, write in this process.
    sink: InlineSink | ProcessSink | None = None
    try:
        sink = _open_sink(engine, total, writer_process)
        for row, cells in rows:
            read += 1
            checker.check(row, cells)
            if len(checker.members) >= CHUNK_ROWS:
                sink.write(checker.new_households, checker.members)
                checker.new_households, checker.members = [], []
                if progress is not None:
                    progress(min(read, total), max(total, read))
        sink.write(checker.new_households, checker.members)
        counts = sink.commit()
    except BaseException:
        # An interrupted or failed import leaves the previous snapshot untouched.
        if sink is not None:
            sink.rollback()
        log.warning("roster import of %s rolled back after %d rows", Path(path).name, read)
        raise
    finally:
        source.close()  # the file (or workbook) now, not at garbage collection
        if gc_was_enabled:
            gc.enable()
    if progress is not None:
        progress(read, read)
    result.read = read
    result.imported, result.updated, result.unchanged = (counts.imported, counts.updated,
                                                         counts.unchanged)
    result.households_imported = counts.households_imported
    result.households_updated = counts.households_updated
    late = [Rejection(row, "nik", tr("roster.nik_elsewhere", household=household),
                      shown("nik", nik)) for row, nik, household in counts.late]
    result.rejected = checker.rejected_rows + len(late)
    result.rejections = sorted(checker.rejections + late, key=lambda r: (r.row, r.column))
    repeated = [Rejection(r, "", tr("roster.repeated_header")) for r in source.repeated_headers]
    result.warnings = sorted(checker.warnings + repeated, key=lambda r: (r.row, r.column))
    result.seconds = time.perf_counter() - t0
    if report_path is not None:
        result.report_path = write_report(Path(report_path), result)
    log.info("roster %s: read %d, imported %d, updated %d, unchanged %d, rejected %d, "
             "warnings %d in %.1f s", Path(path).name, result.read, result.imported,
             result.updated, result.unchanged, result.rejected, len(result.warnings),
             result.seconds)
    return result


def _open_sink(engine: Engine, total_rows: int, writer_process: bool | None
               ) -> InlineSink | ProcessSink:
    path = sqlite_file(engine)  # None: the hub's PostgreSQL, written in this process
    if writer_process is None:
        writer_process = total_rows >= PROCESS_MIN_ROWS
    if path is None or not writer_process:
        return InlineSink(open_writer(engine))
    try:
        return ProcessSink(path)
    except WriterUnavailable as exc:
        # Slower, not wrong: the same writes in this process.
        log.warning("roster writer process unavailable (%s); writing in this process", exc)
        return InlineSink(SqliteRosterWriter(path))


def _check_writable(path: Path) -> None:
    # Fail before importing, not after committing, when the report cannot be written.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise BekasiError(tr("roster.report_failed", path=path, detail=exc.strerror)) from exc


def write_report(path: Path, result: ImportResult) -> Path:
    """CSV with row, column, value, reason: rejected rows first-class, warnings marked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [(r.row, r.column, r.value, r.reason) for r in result.rejections]
    lines += [(w.row, w.column, w.value,
               tr("roster.warning_prefix" if w.column else "roster.note_prefix") + w.reason)
              for w in result.warnings]
    lines.sort(key=lambda x: (x[0], x[1]))
    try:
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(("row", "column", "value", "reason"))
            out.writerows(lines)
    except OSError as exc:
        raise BekasiError(tr("roster.report_failed", path=path, detail=exc.strerror)) from exc
    return path
