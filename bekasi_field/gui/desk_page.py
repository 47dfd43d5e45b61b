"""The scan screen: verdict panel across the top; camera, code field and candidates on the left;
counts, actions and the day's lists on the right. Every action has a key (see main_window)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.identifiers import digits_only, mask, number_problem
from bekasi_field.domain.site_formats import clock_time
from bekasi_field.gui.camera import CameraController, CameraView
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_state import DeskState
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.sounds import SoundPlayer
from bekasi_field.gui.table_models import HandoverModel, RemainingModel
from bekasi_field.gui.verdict_panel import VerdictPanel
from bekasi_field.i18n import tr
from bekasi_field.services import desk

if TYPE_CHECKING:
    from bekasi_field.domain.verdicts import Verdict
    from bekasi_field.services.events import EventInfo
    from bekasi_field.services.journal import RecordedEntry
    from bekasi_field.services.name_search import NameCandidate
    from bekasi_field.services.sync_service import SyncStatus

log = logging.getLogger(__name__)

_NAME_QUERY = re.compile(r"^[^\d:]+$")  # no digits and no "BKF1:" prefix: a person's name


def masked_code(code: str) -> str:
    """An unknown code in the recent scans: enough to tell two apart, never a whole NIK."""
    digits = digits_only(code)
    if digits.isdigit():
        return mask(digits)
    return code if len(code) <= 10 else f"{code[:6]}…{code[-4:]}"


def looks_like_name(text: str) -> bool:
    return bool(_NAME_QUERY.match(text)) and any(ch.isalpha() for ch in text)


class DeskPage(QWidget):
    """The desk. It draws the window's DeskState and asks; the hand-over flow does the steps."""

    verdict_shown = Signal(object)  # Verdict
    candidates_shown = Signal(int)
    counts_shown = Signal(object)  # DeskCounts
    pending_shown = Signal(int)
    handover_requested = Signal()
    status = Signal(str)

    def __init__(self, ctx: DeskContext, state: DeskState, ops: Ops, lists: Ops,
                 camera: CameraController, sounds: SoundPlayer) -> None:
        super().__init__()
        self.setObjectName("deskPage")
        self.ctx, self.services, self.state = ctx, ctx.services, state
        self.ops, self.lists = ops, lists
        self.camera, self.sounds = camera, sounds
        self.history = desk.VerdictHistory(size=8)
        self._last_query = ""  # the name search on screen (kept until a new search or code)
        self._matched: tuple[str, NameCandidate] | None = None  # the member a result matched
        self.counts: desk.DeskCounts | None = None
        self.pending: int | None = None
        self.last_sync_at: str | None = None

        self.panel = VerdictPanel(state)
        self.camera_view = CameraView(camera)
        self.code = QLineEdit(objectName="codeInput")
        self.code.setClearButtonEnabled(True)
        self.code.returnPressed.connect(self._code_entered)
        # What is wrong with a typed NIK, while it is typed (not after Enter).
        self.code_hint = QLabel(objectName="codeHint", wordWrap=True)
        self.code.textChanged.connect(self._code_typed)
        self.side_stack = QStackedWidget()
        self.history_list = QListWidget(objectName="historyList")
        self.history_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.candidates = QListWidget(objectName="candidateList")
        self.candidates.itemActivated.connect(self._candidate_chosen)
        # Two lines a result, cut at the column's edge rather than a scroll bar taking a row.
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidates.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.side_stack.addWidget(self.history_list)
        self.side_stack.addWidget(self.candidates)
        self.history_title = QLabel(objectName="sectionTitle")
        self.code_label = QLabel(objectName="sectionTitle")
        self.code_label.setBuddy(self.code)
        left = QVBoxLayout()
        left.addWidget(self.camera_view, 3)
        left.addWidget(self.code_label)
        left.addWidget(self.code)
        left.addWidget(self.code_hint)
        left.addWidget(self.history_title)
        left.addWidget(self.side_stack, 2)

        self.progress = QProgressBar(objectName="eventProgress")
        self.progress.setTextVisible(True)
        self.counts_label = QLabel(objectName="countsLabel")
        # Wraps rather than widening the window past a 1366 px screen (an override's "+1 ...").
        self.counts_label.setWordWrap(True)
        self.counts_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        self.pending_label = QLabel(objectName="pendingLabel")
        self.sync_button = QPushButton(objectName="syncButton")
        stats = QHBoxLayout()
        stats.addWidget(self.progress, 3)
        stats.addWidget(self.counts_label, 2)
        stats.addWidget(self.pending_label, 1)
        stats.addWidget(self.sync_button)

        self.handover_button = QPushButton(objectName="primaryButton")
        self.proxy_button = QPushButton()
        self.override_button = QPushButton()
        self.void_button = QPushButton()
        actions = QHBoxLayout()
        for b in (self.handover_button, self.proxy_button, self.override_button,
                  self.void_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            actions.addWidget(b)
        self.handover_button.clicked.connect(self.handover_requested.emit)

        self.tabs = QTabWidget(objectName="deskTabs")
        self.handovers = HandoverModel(lists)
        self.handover_view = self._table(self.handovers)
        self.remaining = RemainingModel(lists)
        self.remaining_view = self._table(self.remaining)
        self.remaining_search = QLineEdit(objectName="remainingSearch")
        self.remaining_search.setClearButtonEnabled(True)
        self.remaining_search.textChanged.connect(lambda _t: self.reload_remaining())
        self.remaining_view.activated.connect(self._remaining_chosen)
        remaining_tab = QWidget()
        rlay = QVBoxLayout(remaining_tab)
        rlay.setContentsMargins(0, 4, 0, 0)
        rlay.addWidget(self.remaining_search)
        rlay.addWidget(self.remaining_view)
        self.handovers.page_loaded.connect(lambda n: self._fit(self.handover_view, n))
        self.handovers.page_loaded.connect(lambda _n: self.select_saved())
        # The row selected in today's list, kept across reloads: the entry this desk saved
        # last, until the officer picks another (Ctrl+1 then F7 act on it).
        self._saved_uuid: str | None = None
        self.handover_view.selectionModel().selectionChanged.connect(self._picked)
        self.remaining.page_loaded.connect(lambda n: self._fit(self.remaining_view, n))
        self.tabs.addTab(self.handover_view, "")
        self.tabs.addTab(remaining_tab, "")
        self.dashboard: QWidget | None = None

        right = QVBoxLayout()
        right.addLayout(stats)
        right.addLayout(actions)
        right.addWidget(self.tabs, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        outer = QVBoxLayout()
        outer.setContentsMargins(10, 8, 10, 6)
        outer.addWidget(self.panel)
        outer.addLayout(body, 1)
        self.setLayout(outer)
        state.changed.connect(self._update_actions)
        self.retranslate()

    @staticmethod
    def _table(model: Any) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(28)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.setAlternatingRowColors(True)
        return view

    @staticmethod
    def _fit(view: QTableView, rows: int) -> None:
        if rows <= 200:  # the first page: size columns to what people will read
            view.resizeColumnsToContents()

    # --- text ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.panel.retranslate()
        self.camera_view.retranslate()
        self.code_label.setText(tr("gui.desk.code_label"))
        self.code.setPlaceholderText(tr("gui.desk.code_hint"))
        self.history_title.setText(tr(
            "gui.desk.candidates" if self.side_stack.currentWidget() is self.candidates
            else "gui.desk.history"))
        if self.side_stack.currentWidget() is self.candidates and self._last_query:
            self.search_names(self._last_query, keep_row=True)  # the results' words too
        self.sync_button.setText(tr("gui.desk.sync"))
        self.handover_button.setText(tr("gui.desk.handover"))
        self.proxy_button.setText(tr("gui.desk.proxy"))
        self.override_button.setText(tr("gui.desk.override"))
        self.void_button.setText(tr("gui.desk.void"))
        self.tabs.setTabText(0, tr("gui.desk.today"))
        self.tabs.setTabText(1, tr("gui.desk.remaining"))
        if self.dashboard is not None:
            self.tabs.setTabText(2, tr("gui.desk.dashboard"))
            retranslate = getattr(self.dashboard, "retranslate", None)
            if retranslate is not None:  # Ctrl+B must not leave it half in the old language
                retranslate()
        self.remaining_search.setPlaceholderText(tr("gui.desk.remaining_hint"))
        self._code_typed(self.code.text())
        self.handovers.retranslate()
        self.remaining.retranslate()
        self._show_counts()
        self._show_pending()
        self._show_history()
        self._update_actions()

    # --- the event -------------------------------------------------------------------------
    @property
    def dist_event(self) -> EventInfo | None:
        return self.state.chosen_event

    def set_event(self, event: EventInfo | None) -> None:
        self.state.set_event(event)
        self.counts = None
        self._update_actions()
        if event is not None:
            self.refresh_all()

    def refresh_all(self) -> None:
        self.refresh_counts()
        self.refresh_pending()
        self.reload_handovers()
        self.reload_remaining()

    def refresh_counts(self) -> None:
        if self.dist_event is None:
            return
        services, event_id = self.services, self.dist_event.id
        self.lists.run(lambda: services.event_counts(event_id), on_success=self._counts_arrived,
                       key="counts")

    def _counts_arrived(self, counts: desk.DeskCounts) -> None:
        self.counts = counts
        self._show_counts()
        self.counts_shown.emit(counts)

    def _show_counts(self) -> None:
        c = self.counts
        if c is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.counts_label.setText(tr("gui.desk.counts_loading"))
            return
        self.progress.setRange(0, max(1, c.entitled))
        self.progress.setValue(c.collected)
        pct = 100.0 * c.collected / c.entitled if c.entitled else 0.0
        self.progress.setFormat(tr("gui.desk.progress", collected=c.collected,
                                   entitled=c.entitled, pct=f"{pct:.0f}"))
        text = tr("gui.desk.counts", remaining=c.remaining, today=c.today)
        if c.outside:  # other sites' households a supervisor let through: not in the count
            text += " · " + tr("desk.counts.outside", n=c.outside)
        self.counts_label.setText(text)
        self.counts_label.setToolTip(text)

    def refresh_pending(self) -> None:
        if self.services.sync_available:
            self.lists.run(self.services.sync_status, on_success=self._status_arrived,
                           key="pending")

    def _status_arrived(self, status: SyncStatus) -> None:
        self.last_sync_at = getattr(status, "last_sync_at", None)
        self._pending_arrived(status.pending)

    def _pending_arrived(self, n: int) -> None:
        self.pending = int(n)
        self._show_pending()
        self.pending_shown.emit(self.pending)

    def _show_pending(self) -> None:
        n = "—" if self.pending is None else str(self.pending)
        self.pending_label.setText(tr("gui.desk.pending", n=n))
        last = (clock_time(self.last_sync_at)[:5] if self.last_sync_at
                else tr("gui.desk.never_synced"))
        self.pending_label.setToolTip(tr("gui.desk.last_sync", when=last))
        self.pending_label.setProperty("waiting", bool(self.pending))
        self.pending_label.style().polish(self.pending_label)

    def reload_handovers(self) -> None:
        if self.dist_event is None:
            return
        services, event_id = self.services, self.dist_event.id
        self.handovers.reset_source(
            lambda offset, limit: services.handovers_page(event_id, offset=offset, limit=limit))

    def reload_remaining(self) -> None:
        if self.dist_event is None:
            return
        services, event_id = self.services, self.dist_event.id
        query = self.remaining_search.text()
        self.remaining.reset_source(
            lambda offset, limit: services.remaining_page(event_id, query=query, offset=offset,
                                                          limit=limit))

    # --- codes -----------------------------------------------------------------------------
    def _code_entered(self) -> None:
        text = self.code.text().strip()
        if not text:
            if self.state.open_verdict is not None:
                self.handover_requested.emit()
            return
        self.submit(text, source="typed")

    def _code_typed(self, text: str) -> None:
        digits = digits_only(text)
        if not digits or not digits.isdigit():
            self.code_hint.setText("")
            return
        problem = number_problem(digits) if len(digits) >= 16 else None
        self.code_hint.setText(tr(problem[0], **problem[1]) if problem
                               else tr("desk.nik.typing", n=len(digits)))
        self.code_hint.setProperty("problem", problem is not None)
        self.code_hint.style().polish(self.code_hint)

    def submit(self, text: str, *, source: str) -> None:
        """A code from the camera, the scanner or the field; a name goes to the search."""
        if self.dist_event is None or not text.strip():
            return
        text = text.strip()
        self.code.clear()
        if source == "typed" and looks_like_name(text):
            self.search_names(text)
            return
        self.check(text)

    def submit_card(self, nik: str, *, card_name: str) -> None:
        """A KTP read off the camera: the verdict for its NIK, with the printed name beside it
        and the identity recorded as read from the card."""
        if self.dist_event is None:
            return
        services, event_id = self.services, self.dist_event.id
        log.info("checking a NIK read off a KTP")

        def shown(verdict: Verdict) -> None:
            verdict.details.update(card_name=card_name or tr("ktp.name_unread"),
                                   ktp_read=True)
            self.show_verdict(verdict, code=nik)

        self.ops.run(lambda: services.check(nik, event_id=event_id), on_success=shown,
                     key="check")

    def check(self, code: str, *, matched: NameCandidate | None = None) -> None:
        """The verdict for `code`; `matched`: the name-search result it was opened from (the
        list then stays until the next search or code)."""
        if self.dist_event is None:
            return
        services, event_id = self.services, self.dist_event.id
        log.info("checking a %d-character code", len(code))

        def shown(verdict: Verdict) -> None:
            self._matched = None
            if matched is not None and not matched.is_recipient:
                self._matched = (code, matched)
            self.show_verdict(verdict, code=code, keep_candidates=matched is not None)

        self.ops.run(lambda: services.check(code, event_id=event_id), on_success=shown,
                     key="check")

    def recheck(self) -> None:
        """Ask again for the code on screen (after a language switch or a save elsewhere)."""
        event = self.dist_event
        if self.state.code and self.state.open_verdict is not None and event is not None:
            services, code, event_id = self.services, self.state.code, event.id
            self.ops.run(lambda: services.check(code, event_id=event_id),
                         on_success=lambda v: self.show_verdict(v, code=code, quiet=True),
                         key="check")

    def show_verdict(self, verdict: Verdict, *, code: str, quiet: bool = False,
                     keep_candidates: bool = False) -> None:
        if not keep_candidates and not quiet:
            self.show_candidates(False)
            self._matched = None
        if self._matched is not None and self._matched[0] == code:
            m = self._matched[1]  # kept for a re-check (language switch, another desk's save)
            verdict.details["matched"] = tr("desk.verdict.matched_value", name=m.name,
                                            relation=m.relationship or "—")
        self.state.show_verdict(verdict, code=code)
        if not quiet:
            self.sounds.play(verdict.style.sound)
            # The officer remembers people, not household ids: the name, else the id.
            name = str((verdict.details or {}).get("recipient_name") or "")
            self.history.add(code=verdict.code.value,
                             label=name or verdict.household_id or masked_code(code))
            self._show_history()
        self._update_actions()
        self.code.setFocus()
        self.verdict_shown.emit(verdict)

    def _show_history(self) -> None:
        self.history_list.clear()
        for item in self.history.items():
            headline = tr(f"verdict.{item.code.lower()}")
            label = item.label or tr("gui.desk.no_household")
            self.history_list.addItem(f"{item.at}  {headline}  {label}")

    def search_names(self, query: str, *, keep_row: bool = False) -> None:
        if self.dist_event is None:
            return
        self._last_query = query
        row = self.candidates.currentRow() if keep_row else 0
        services, event_id = self.services, self.dist_event.id
        self.ops.run(lambda: services.search_names(query, event_id=event_id, limit=10),
                     on_success=lambda found: self._candidates_arrived(found, row=row,
                                                                       focus=not keep_row),
                     key="search")

    @staticmethod
    def candidate_text(c: NameCandidate) -> str:
        """Two lines: who matched (relation, masked NIK), then the household's status for the
        event and where it lives; the recipient named when the match is another member."""
        first = tr("desk.candidate.who", name=c.name, relation=c.relationship or "—",
                   nik=c.nik_masked)
        status = tr(f"verdict.{c.status.lower()}") if c.status else "—"
        second = tr("desk.candidate.where", status=status, rt=c.rt, rw=c.rw,
                    kelurahan=c.kelurahan)
        if not c.is_recipient and c.recipient_name:
            second = tr("desk.candidate.recipient", name=c.recipient_name) + " · " + second
        return f"{first}\n    {second}"

    def _candidates_arrived(self, found: list[NameCandidate], *, row: int = 0,
                            focus: bool = True) -> None:
        self.candidates.clear()
        for c in found:
            item = QListWidgetItem(self.candidate_text(c))
            item.setData(Qt.ItemDataRole.UserRole, c.household_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, c)
            self.candidates.addItem(item)
        if not found:
            self.candidates.addItem(tr("gui.desk.no_candidates"))
        self.show_candidates(True)
        self.candidates.setCurrentRow(min(max(row, 0), self.candidates.count() - 1))
        if found and focus:
            self.candidates.setFocus()
        self.candidates_shown.emit(len(found))

    def show_candidates(self, on: bool) -> None:
        """The search results take the camera preview's room (the camera keeps reading):
        ten two-line results fit a 1366x768 screen."""
        self.side_stack.setCurrentWidget(self.candidates if on else self.history_list)
        self.history_title.setText(tr("gui.desk.candidates" if on else "gui.desk.history"))
        self.camera_view.setVisible(not on)

    def _candidate_chosen(self, item: QListWidgetItem) -> None:
        household = item.data(Qt.ItemDataRole.UserRole)
        if household:
            self.check(household, matched=item.data(Qt.ItemDataRole.UserRole + 1))

    def _remaining_chosen(self, index: Any) -> None:
        self.check(self.remaining.row(index.row()).household_id)

    def _update_actions(self) -> None:
        v = self.state.open_verdict
        self.handover_button.setEnabled(bool(v is not None and v.allows_handover))
        allow_proxy = bool(getattr(self.dist_event, "allow_proxy", True))
        self.proxy_button.setEnabled(bool(v is not None and v.allows_handover and allow_proxy))
        self.override_button.setEnabled(bool(v is not None and v.allows_override))

    def clear_verdict(self) -> None:
        """Back to "scan a code": the lists and counts stay."""
        self.state.clear()
        self.show_candidates(False)

    def show_saved(self, entry: RecordedEntry, *, proxy: bool) -> None:
        self._saved_uuid = entry.uuid
        self.state.show_saved(entry, proxy=proxy)
        self.sounds.play("saved")
        self._update_actions()
        self.refresh_all()
        if self.side_stack.currentWidget() is self.candidates and self._last_query:
            self.search_names(self._last_query, keep_row=True)  # its status is now "collected"
        self.code.setFocus()

    def select_saved(self) -> None:
        """Select the entry just saved in today's list (when loaded), so Ctrl+1 then F7 act on
        it; the officer's own choice of row is kept until the next save."""
        uuid = self._saved_uuid
        if uuid is None:
            return
        i = self.handovers.row_of(lambda r: r.uuid == uuid)
        if i < 0 or self.selected_handover() is not None:
            return
        self.handover_view.selectRow(i)
        self.handover_view.scrollTo(self.handovers.index(i, 0))

    def _picked(self, *_args: object) -> None:
        row = self.selected_handover()
        if row is not None:
            self._saved_uuid = row.uuid

    def selected_handover(self) -> desk.HandoverRow | None:
        rows = self.handover_view.selectionModel().selectedRows()
        if rows:
            found: desk.HandoverRow = self.handovers.row(rows[0].row())
            return found
        return None

    def set_dashboard(self, widget: QWidget | None) -> None:
        if self.dashboard is not None:
            holder = self.tabs.widget(2)
            self.tabs.removeTab(2)
            if holder is not None:
                holder.deleteLater()  # the scroll area, and the dashboard inside it
        self.dashboard = widget
        if widget is not None:
            # Scrolls inside its tab: its own minimum size must not push the window past
            # a 1366x768 laptop screen.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(widget)
            self.tabs.addTab(holder, tr("gui.desk.dashboard"))
