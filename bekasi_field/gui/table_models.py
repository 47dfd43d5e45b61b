"""Model/view lists that stay fast at thousands of rows: rows arrive a page at a time from the
worker (fetchMore), never all at once and never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from bekasi_field.domain.site_formats import clock_time
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import tr
from bekasi_field.services.desk import PAGE_SIZE, HandoverRow, RemainingRow

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]


class PagedModel(QAbstractTableModel):
    page_loaded = Signal(int)  # rows now held (tests wait on it)

    def __init__(self, ops: Ops, columns: list[Column], *, name: str) -> None:
        super().__init__()
        self._ops, self._columns, self._name = ops, columns, name
        self._rows: list[Any] = []
        self._fetch: Callable[[int, int], list[Any]] | None = None
        self._loading = False
        self._exhausted = True
        self._generation = 0

    # --- loading ---------------------------------------------------------------------------
    def reset_source(self, fetch: Callable[[int, int], list[Any]] | None) -> None:
        """Start over with a new page function (offset, limit) -> rows; loads the first page."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._fetch = fetch
        self._exhausted = fetch is None
        self._loading = False
        self.endResetModel()
        if fetch is not None:
            self._request()

    def _request(self) -> None:
        assert self._fetch is not None
        fetch, offset, generation = self._fetch, len(self._rows), self._generation
        self._loading = True
        self._ops.run(lambda: fetch(offset, PAGE_SIZE),
                      on_success=lambda rows: self._append(rows, generation), key=self._name)

    def _append(self, rows: list[Any], generation: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < PAGE_SIZE
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(self._rows))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request()

    # --- the model -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def row(self, i: int) -> Any:
        return self._rows[i]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self._columns[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][1](item)
        return self.extra(item, role)

    def extra(self, item: Any, role: int) -> Any:
        return None

    def row_of(self, predicate: Callable[[Any], bool]) -> int:
        """The first loaded row that matches, -1 when none."""
        return next((i for i, r in enumerate(self._rows) if predicate(r)), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self._columns) - 1))


def _status(r: HandoverRow) -> str:
    """Void with its reason and who voided; an override with who approved and why."""
    parts = []
    if r.voided:
        parts.append(tr("desk.table.voided", reason=r.void_reason or "—",
                        by=r.voided_by_shown or "—"))
    if r.override_by:
        parts.append(tr("desk.table.override", by=r.override_by_shown,
                        reason=r.override_reason or "—"))
    if r.from_other_device:
        parts.append(tr("gui.table.other_device"))
    return "; ".join(parts) or "✓"


class HandoverModel(PagedModel):
    def __init__(self, ops: Ops) -> None:
        columns: list[Column] = [
            # Its place in the day's list (1..N): journal seqs skip (voids, other desks).
            ("gui.table.seq", lambda r: str(r.number or r.seq)),
            ("gui.table.time", lambda r: clock_time(r.created_at)),
            ("gui.table.household", lambda r: r.household_id),
            ("gui.table.recipient", lambda r: r.recipient_name),
            ("gui.table.nik", lambda r: r.nik_masked),
            ("gui.table.proxy", lambda r: r.proxy_name if r.is_proxy else "—"),
            ("gui.table.officer", lambda r: r.officer_shown),
            ("gui.table.status", _status),
        ]
        super().__init__(ops, columns, name="handovers-page")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            item = self._rows[index.row()]
            entry = tr("desk.table.entry", seq=item.seq, device=item.device_id)
            # The status column's tip is its whole text (a long void or override reason).
            return f"{_status(item)}\n{entry}" if index.column() == 7 else entry
        return super().data(index, role)

    def extra(self, item: HandoverRow, role: int) -> Any:
        if item.voided and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if item.voided and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#8A8A8A"))
        return None


class RemainingModel(PagedModel):
    def __init__(self, ops: Ops) -> None:
        columns: list[Column] = [
            ("gui.table.household", lambda r: r.household_id),
            ("gui.table.recipient", lambda r: r.name),
            ("gui.table.nik", lambda r: r.nik_masked),
            ("gui.table.rtrw", lambda r: f"{r.rt}/{r.rw}"),
            ("gui.table.kelurahan", lambda r: r.kelurahan),
            ("gui.table.slip", lambda r: r.slip_serial),
        ]
        super().__init__(ops, columns, name="remaining-page")

    def row(self, i: int) -> RemainingRow:
        found: RemainingRow = self._rows[i]
        return found
