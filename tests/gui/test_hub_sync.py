"""A fresh desk enrols at a real hub (uvicorn on 127.0.0.1) from the first-run page, hands
over, and the sync button sends it: the waiting count goes back to zero."""

from __future__ import annotations

from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from bekasi_field.hub.models import HubJournal
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import set_language
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]



@pytest.mark.slow
def test_fresh_desk_enrols_hands_over_and_syncs(qtbot, open_window, tmp_path: Path) -> None:
    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    hub = hh.ThreadHub(store).start()
    fresh = Site.open(tmp_path / "desk")
    with fresh.db.transaction() as conn:  # the sync button's test: the desk's own loop off
        set_meta(conn, "sync_interval_s", "off")
    try:
        w = open_window(site=fresh)
        page = w.first_run
        assert w.stack.currentWidget() is page
        QTest.keyClicks(page.hub_url, hub.url)
        QTest.keyClicks(page.enrol_code, hh.enrol_code(store))
        with qtbot.waitSignal(w.page_changed, timeout=30_000,
                              check_params_cb=lambda p: p == "login"):
            QTest.keyClick(page.enrol_code, Qt.Key.Key_Return)
        assert w.windowTitle() == "bekasi-field — Kota Baru"
        hd.login(qtbot, w, ("PTG01", "1111"))  # an officer that came from the hub
        hd.choose_event(qtbot, w, hh.EVENT)
        verdict = hd.type_code(qtbot, w, "KPM-0001")
        assert verdict.code.value == "ELIGIBLE"

        def identity(dialog) -> None:
            dialog.ktp.setChecked(True)
            dialog.accept()

        w.flow.dialog_opened.connect(identity)
        with qtbot.waitSignal(w.desk.pending_shown, check_params_cb=lambda n: n == 1):
            hd.press_enter_to_hand_over(qtbot, w)
        with qtbot.waitSignal(w.flow.synced, timeout=30_000) as blocker:
            QTest.keyClick(w, Qt.Key.Key_F9)
        assert (blocker.args[0].pushed, blocker.args[0].acked_seq) == (1, 1)
        qtbot.waitUntil(lambda: w.desk.pending == 0)
        assert w.desk.pending_label.text() == "Menunggu sinkron: 0"
        assert w.desk.pending_label.toolTip().startswith("Sinkron terakhir: ")
        assert "belum pernah" not in w.desk.pending_label.toolTip()
        with store.read() as conn:
            assert conn.execute(select(func.count()).select_from(HubJournal.__table__)
                                ).scalar_one() == 1
        w.close()
    finally:
        hub.stop()
        fresh.close()
        store.dispose()
