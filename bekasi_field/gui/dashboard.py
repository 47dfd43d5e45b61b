"""The supervisor's dashboard: collected / allocated per kelurahan, hand-overs per hour (drawn
with QPainter: QtCharts is not in PySide6-Essentials), conflicts to review, sync state, and the
two end-of-day reports. Data is loaded on a worker (gui.ops); the widget only paints results.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.site_formats import format_date_id, format_time_id, local_date, thousands
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import language, tr
from bekasi_field.services import reports
from bekasi_field.services.site import Site

log = logging.getLogger(__name__)

REFRESH_MS = 60_000
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def _date(day: dt.date) -> str:
    """'8 Desember 2026', or '8 December 2026' in English (Ctrl+B)."""
    if language() == "id":
        return format_date_id(day)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
BAR = QColor("#2F5597")


class HourChart(QWidget):
    """Bars of hand-overs per WIB hour; the working day (07-16) always shows, more if used."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: list[tuple[int, int]] = []
        self.setMinimumSize(QSize(320, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_counts(self, counts: list[tuple[int, int]]) -> None:
        used = [h for h, n in counts if n]
        first, last = min([7, *used]), max([16, *used])
        self._counts = [(h, n) for h, n in counts if first <= h <= last]
        self.update()

    def shown_hours(self) -> list[int]:
        return [h for h, _ in self._counts]

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt calls it with the event
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        if not self._counts:
            p.end()
            return
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        fm = p.fontMetrics()
        left, bottom, top = 8, fm.height() + 6, fm.height() + 6
        w = self.width() - 2 * left
        h = self.height() - top - bottom
        slot = w / len(self._counts)
        peak = max(1, max(n for _, n in self._counts))
        axis = QPen(self.palette().text().color())
        p.setPen(axis)
        base_y = top + h
        p.drawLine(left, base_y, left + int(w), base_y)
        for i, (hour, n) in enumerate(self._counts):
            x = left + i * slot
            bar_h = h * n / peak
            if n:
                p.fillRect(QRectF(x + slot * 0.15, base_y - bar_h, slot * 0.7, bar_h), BAR)
                p.drawText(QRectF(x, base_y - bar_h - fm.height() - 2, slot, fm.height()),
                           Qt.AlignmentFlag.AlignCenter, str(n))
            p.drawText(QRectF(x, base_y + 3, slot, fm.height()), Qt.AlignmentFlag.AlignCenter,
                       f"{hour:02d}")
        p.end()


class SupervisorDashboard(QWidget):
    """The window builds it as SupervisorDashboard(site=..., event_id=..., ops=...).

    `conflicts_fn` (hub conflicts after a sync) and `sync_state_fn` may be given; otherwise the
    dashboard shows this device's own duplicates and its sync queue from the database.
    """

    refreshed = Signal()
    exported = Signal(str)  # path written
    export_failed = Signal(str)

    def __init__(self, *, site: Site, event_id: str, parent: QWidget | None = None,
                 ops: Ops | None = None,
                 conflicts_fn: Callable[[], list[str]] | None = None,
                 sync_state_fn: Callable[[], str] | None = None,
                 day: dt.date | None = None) -> None:
        super().__init__(parent)
        self.site, self.event_id = site, event_id
        self.day = day  # None: today (WIB) at each refresh
        self._conflicts_fn, self._sync_state_fn = conflicts_fn, sync_state_fn
        self._own_ops = ops is None
        self.ops = ops or Ops("dashboard-ops")
        if self._own_ops:
            ops_ = self.ops  # not self: the Python wrapper may be gone when this fires
            self.destroyed.connect(lambda *_: ops_.shutdown(1.0))
        self.data: reports.DashboardData | None = None
        self.export_handler: Callable[[str], None] | None = None  # the window's, when in one
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.setObjectName("supervisorDashboard")
        self.title = QLabel(tr("dash.title"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.total = QLabel("")
        self.outside = QLabel("", objectName="dashOutside")  # still to collect, overrides
        self.outside.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [tr("report.col.kelurahan"), tr("report.col.collected"), ""])
        header = self.table.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.chart = HourChart()
        self.conflicts = QListWidget()
        self.conflicts.setWordWrap(True)
        self.sync_label = QLabel("")
        self.sync_label.setWordWrap(True)
        self.sync_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bast_button = QPushButton(tr("dash.bast"))
        self.xlsx_button = QPushButton(tr("dash.xlsx"))
        self.refresh_button = QPushButton(tr("dash.refresh"))
        self.bast_button.clicked.connect(lambda: self._ask_and_export("bast"))
        self.xlsx_button.clicked.connect(lambda: self._ask_and_export("xlsx"))
        self.refresh_button.clicked.connect(self.refresh)

        grid = QGridLayout()
        self._boxes = {"dash.per_kelurahan": self._box("dash.per_kelurahan", self.table,
                                                       self.total, self.outside),
                       "dash.conflicts": self._box("dash.conflicts", self.conflicts),
                       "dash.sync": self._box("dash.sync", self.sync_label)}
        grid.addWidget(self._boxes["dash.per_kelurahan"], 0, 0)
        self.chart_box = self._box("dash.per_hour", self.chart)
        grid.addWidget(self.chart_box, 0, 1)
        grid.addWidget(self._boxes["dash.conflicts"], 1, 0)
        grid.addWidget(self._boxes["dash.sync"], 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        buttons = QHBoxLayout()
        for b in (self.bast_button, self.xlsx_button):
            b.setMinimumHeight(40)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        top = QVBoxLayout(self)
        top.addWidget(self.title)
        top.addLayout(grid, 1)
        top.addLayout(buttons)
        top.addWidget(self.status)

    def retranslate(self) -> None:
        """Every text again in the current language (Ctrl+B with the dashboard open)."""
        self.title.setText(tr("dash.title"))
        self.table.setHorizontalHeaderLabels(
            [tr("report.col.kelurahan"), tr("report.col.collected"), ""])
        for key, box in self._boxes.items():
            box.setTitle(tr(key))
        self.chart_box.setTitle(tr("dash.per_hour"))
        self.bast_button.setText(tr("dash.bast"))
        self.xlsx_button.setText(tr("dash.xlsx"))
        self.refresh_button.setText(tr("dash.refresh"))
        self.status.setText("")
        if self.data is not None:
            self._apply(self.data)  # totals, chart title, conflicts and sync state

    @staticmethod
    def _box(title_key: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(tr(title_key))
        lay = QVBoxLayout(box)
        for w in widgets:
            lay.addWidget(w)
        return box

    # -- data -----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.refresh()

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        db, event_id, day = self.site.db, self.event_id, self.day
        self.ops.run(lambda: reports.dashboard_data(db, event_id, day=day), on_success=self._apply,
                     on_error=self._failed, key=f"dashboard:{id(self)}")

    def _apply(self, data: reports.DashboardData) -> None:
        self.data = data
        ev = data.event
        self.title.setText(f"{tr('dash.title')}: {ev.name}")
        self.table.setRowCount(len(data.recap))
        for row, k in enumerate(data.recap):
            self.table.setItem(row, 0, QTableWidgetItem(k.kelurahan))
            cell = QTableWidgetItem(f"{thousands(k.collected)} / {thousands(k.allocated)}")
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, cell)
            bar = QProgressBar()
            bar.setRange(0, max(1, k.allocated))
            bar.setValue(min(k.collected, max(1, k.allocated)))
            self.table.setCellWidget(row, 2, bar)
        # The desk counter's numbers (services/counts.py), not a sum of the rows above.
        c = data.counts
        collected = c.collected if c else sum(k.collected for k in data.recap)
        allocated = c.allocated if c else sum(k.allocated for k in data.recap)
        percent = f"{100 * collected / allocated:.0f}" if allocated else "0"
        self.total.setText(tr("dash.total", collected=thousands(collected),
                              allocated=thousands(allocated), percent=percent))
        lines = [tr("dash.remaining", n=thousands(max(0, allocated - collected)))]
        if data.outside:  # counted apart: who approved and why, for each
            lines.append(tr("dash.outside", n=len(data.outside)))
            lines += [f"· {r.recipient_name or r.household_id} ({r.kelurahan}): "
                      f"{r.override_text}" for r in data.outside]
        self.outside.setText("\n".join(lines))
        self.chart_box.setTitle(f"{tr('dash.per_hour')}: {_date(data.day)} "
                                f"({thousands(data.today)})")
        self.chart.set_counts(data.per_hour)
        self._show_conflicts(data)
        self._show_sync(data)
        self.refreshed.emit()

    def _show_conflicts(self, data: reports.DashboardData) -> None:
        self.conflicts.clear()
        if self._conflicts_fn is not None:
            items = list(self._conflicts_fn())
        else:
            items = [
                tr("dash.conflict_item", household=hid, n=len(rows),
                   kelurahan=rows[0].kelurahan,
                   times=", ".join(f"{format_time_id(r.created_at)} ({r.device_id})"
                                   for r in rows))
                for hid, rows in sorted(data.duplicates.items())
            ]
        self.conflicts.addItems(items or [tr("dash.no_conflicts")])

    def _show_sync(self, data: reports.DashboardData) -> None:
        if self._sync_state_fn is not None:
            self.sync_label.setText(self._sync_state_fn())
            return
        last = tr("dash.sync_never")
        if data.last_sync_at:
            when = data.last_sync_at
            day = local_date(when)
            last = f"{_date(day)} {format_time_id(when, suffix=True)}"
        pending = "-" if data.pending_sync is None else thousands(data.pending_sync)
        self.sync_label.setText(tr("dash.sync_state", pending=pending, last=last))

    def _failed(self, exc: BekasiError) -> None:
        self.status.setText(tr("dash.failed", error=exc.message))
        self.export_failed.emit(exc.message)

    # -- reports --------------------------------------------------------------------------
    def default_path(self, kind: str) -> Path:
        return reports.default_report_path(self.site.layout.root, kind=kind,
                                           event_id=self.event_id)

    def _ask_and_export(self, kind: str) -> None:
        if self.export_handler is not None:  # in the desk window: its keys, dialog and worker
            self.export_handler(kind)
            return
        suggested = self.default_path(kind)
        pattern = "PDF (*.pdf)" if kind == "bast" else "Excel (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, tr(f"dash.{kind}"), str(suggested), pattern)
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path, *, day: dt.date | None = None) -> None:
        """Write the BAST (of `day`, default today WIB) or the recap workbook to `path`."""
        engine, event_id = self.site.db.engine, self.event_id
        day = day or self.day or local_date(dt.datetime.now(dt.UTC))

        def work() -> str:
            if kind == "bast":
                reports.export_bast(engine, event_id, path, day=day)
            else:
                reports.export_recap(engine, event_id, path)
            return str(path)

        self.bast_button.setEnabled(False)
        self.xlsx_button.setEnabled(False)
        self.ops.run(work, on_success=self._exported, on_error=self._export_error)

    def _exported(self, path: str) -> None:
        self._enable()
        self.status.setText(tr("dash.saved", path=path))
        log.info("dashboard report written")
        self.exported.emit(path)

    def _export_error(self, exc: BekasiError) -> None:
        self._enable()
        self._failed(exc)

    def _enable(self) -> None:
        self.bast_button.setEnabled(True)
        self.xlsx_button.setEnabled(True)
