"""Today's hand-overs and the remaining households: model/view lists filled a page at a time
from the worker, so thousands of rows stay fast; the remaining list is searchable."""

from __future__ import annotations

import uuid

import helpers_desk as hd
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from bekasi_field.gui.ops import Ops
from bekasi_field.gui.table_models import HandoverModel
from bekasi_field.services import desk
from bekasi_field.store.db import utc_now

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _many_handovers(site, event_id: str, n: int) -> None:
    """n hand-overs from another desk (as sync brings them), straight into the journal."""
    conn = site.db.raw()
    try:
        households = [r[0] for r in conn.execute(
            "SELECT household_id FROM entitlements WHERE event_id = ?", (event_id,))]
        conn.execute("BEGIN")
        for i in range(n):
            conn.execute(
                "INSERT INTO journal (uuid, device_id, seq, kind, event_id, household_id, "
                "officer_id, site, recipient_nik, recipient_name, is_proxy, proxy_letter_seen, "
                "identity, evidence, code_kind, scanned_code, verdict, created_at, prev_hash, "
                "hash, received_at) VALUES (?, 'other-desk', ?, 'handover', ?, ?, 'PTG02', "
                "'Kota Baru', '3275014101800001', 'Warga', 0, 0, '{}', '{}', 'slip', '', "
                "'ELIGIBLE', ?, 'x', ?, ?)",
                (str(uuid.uuid4()), i + 1, event_id, households[i % len(households)],
                 utc_now(), uuid.uuid4().hex, utc_now()))
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_handover_list_loads_pages_as_the_view_scrolls(qtbot, desk_site, demo) -> None:
    _many_handovers(desk_site, demo.event_id, 450)
    ops = Ops("test-lists")
    try:
        model = HandoverModel(ops)
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(900, 300)
        view.show()
        db, event_id = desk_site.db, demo.event_id
        with qtbot.waitSignal(model.page_loaded):
            model.reset_source(lambda o, n: desk.handovers_page(db, event_id, offset=o, limit=n))
        assert model.rowCount() == desk.PAGE_SIZE  # one page, not all 450
        assert model.data(model.index(0, 7)) == "meja lain"  # learned from another desk
        while model.canFetchMore(QModelIndex()):
            with qtbot.waitSignal(model.page_loaded):
                view.scrollToBottom()  # the view asks for more at the end (fetchMore)
                model.fetchMore(QModelIndex())
        assert model.rowCount() == 450
        seqs = [int(model.data(model.index(i, 0))) for i in range(450)]
        assert len(set(seqs)) == 450
    finally:
        ops.shutdown()


def test_remaining_households_are_searchable(qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, _nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kranji", offset=2)
    conn = desk_site.db.raw()
    name = conn.execute("SELECT name FROM members WHERE household_id = ? AND is_recipient = 1",
                        (household,)).fetchone()[0]
    conn.close()
    QTest.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.desk.remaining_search.hasFocus()
    qtbot.waitUntil(lambda: w.desk.remaining.rowCount() == w.desk.counts.remaining)
    with qtbot.waitSignal(w.desk.remaining.page_loaded):
        QTest.keyClicks(w.desk.remaining_search, name)
    qtbot.waitUntil(lambda: not w.desk.remaining.canFetchMore(QModelIndex()))
    found = [w.desk.remaining.row(i).household_id for i in range(w.desk.remaining.rowCount())]
    assert household in found and len(found) < w.desk.counts.remaining
    # Enter on a row checks that household, like a scan
    w.desk.remaining_view.setFocus()
    w.desk.remaining_view.setCurrentIndex(w.desk.remaining.index(found.index(household), 0))
    with qtbot.waitSignal(w.desk.verdict_shown) as blocker:
        QTest.keyClick(w.desk.remaining_view, Qt.Key.Key_Return)
    assert blocker.args[0].household_id == household
