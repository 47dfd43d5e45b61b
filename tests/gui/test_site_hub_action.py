"""The desk menu's "Run a site hub" (Ctrl+Shift+H, supervisors): pressed in the real window, a
site hub process starts on this laptop, answers on 127.0.0.1 with its TLS certificate, this
desk is enrolled at it, the screen shows its address, fingerprint and the next desk's code;
then it is stopped."""

from __future__ import annotations

import sys
from pathlib import Path

import helpers_desk as hd
import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from bekasi_field.services import desk, site_hub, sync_service

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hub"))
from helpers_hub import free_port

pytestmark = [
    pytest.mark.gui,
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _answers(url: str) -> bool:
    try:  # the hub's own self-signed certificate: this checks that it answers, not who
        return httpx.get(url + "/api/v1/health", verify=False, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_ctrl_shift_h_starts_a_site_hub_that_answers_and_enrols_this_desk(
        qtbot, open_window, demo, desk_site) -> None:
    port = free_port()
    desk.set_setting(desk_site.db, "site_hub_host", "127.0.0.1")  # tests listen on loopback
    desk.set_setting(desk_site.db, "site_hub_port", str(port))
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    shown: list[str] = []

    def answer(dialog) -> None:
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            dialog.accept()

    w.dialogs.opened.connect(answer)
    url = f"https://127.0.0.1:{port}"
    try:
        assert not _answers(url)
        QTest.keyClick(w, Qt.Key.Key_H, CTRL_SHIFT)
        qtbot.waitUntil(lambda: bool(shown), timeout=120_000)
        assert _answers(url)
        info = site_hub.running(desk_site)
        assert info is not None and info.url == url
        text = shown[0]
        assert f"127.0.0.1:{port}" in text and info.fingerprint in text
        assert sync_service.is_enrolled(desk_site.db)
        assert desk_site.db.get_meta("hub_url") == url
        assert str(port) in w.statusBar().currentMessage()
    finally:
        stopped = site_hub.stop(desk_site)
    assert stopped and not _answers(url) and site_hub.running(desk_site) is None
