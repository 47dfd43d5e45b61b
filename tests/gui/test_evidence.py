"""Photo from the camera and a signature drawn on the pad, when the event asks for them; no
camera and a broken camera are normal states; the sync queue is always on screen."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bekasi_field import app as desk_app

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.mark.slow
def test_photo_and_signature_when_the_event_requires_them(qtbot, open_window, demo, desk_site,
                                                          tmp_path: Path) -> None:
    with desk_site.db.transaction() as conn:
        conn.execute("UPDATE events SET require_photo = 1, require_signature = 1 WHERE id = ?",
                     (demo.event_id,))
    [(household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    w = open_window(camera=str(hd.slip_video(tmp_path / "camera.avi", [slip])))
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    qtbot.waitUntil(lambda: w.state.shown == "ELIGIBLE", timeout=20_000)
    seen: dict[str, object] = {}

    def answer(dialog) -> None:
        try:
            dialog.kk.setChecked(True)
            dialog.accept()
            seen["without"] = dialog.message.text()  # photo still missing
            QTest.keyClick(dialog, Qt.Key.Key_F4)  # the camera's current frame
            if dialog.photo is None:
                dialog.capture_photo()
            pad = dialog.signature
            QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 40))
            for x in range(40, 300, 20):
                QTest.mouseMove(pad, QPoint(x, 40 + (x // 20) % 3 * 15))
            QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(300, 60))
            seen["photo"], seen["signature"] = dialog.photo, dialog.signature.to_png()
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(answer)
    hd.press_enter_to_hand_over(qtbot, w)
    assert seen["without"] == "Kegiatan ini mewajibkan foto."
    photo, signature = seen["photo"], seen["signature"]
    assert isinstance(photo, bytes) and photo[:2] == b"\xff\xd8"  # a JPEG from the camera
    assert isinstance(signature, bytes) and signature[:4] == b"\x89PNG"
    conn = desk_site.db.raw()
    evidence = json.loads(conn.execute("SELECT evidence FROM journal WHERE household_id = ?",
                                       (household,)).fetchone()[0])
    conn.close()
    assert evidence["photo"] == hashlib.sha256(photo).hexdigest()
    assert evidence["signature"] == hashlib.sha256(signature).hexdigest()


def test_a_camera_that_cannot_open_leaves_the_desk_working(qtbot, open_window, demo,
                                                           desk_site, tmp_path: Path) -> None:
    w = open_window(camera=str(tmp_path / "no-such-camera.avi"))
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    qtbot.waitUntil(lambda: w.camera.state == "error")
    assert w.desk.camera_view.status.text().startswith("Kamera tidak dapat dibuka")
    _, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=6)
    assert hd.type_code(qtbot, w, nik).code.value == "ELIGIBLE"


def test_sync_queue_is_shown_and_sync_without_a_hub_says_what_to_do(qtbot, open_window, demo,
                                                                    desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    qtbot.waitUntil(lambda: w.desk.pending == 0)
    assert w.desk.pending_label.text() == "Menunggu sinkron: 0"
    assert w.desk.pending_label.toolTip() == "Sinkron terakhir: belum pernah"
    [(_hh, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    hd.type_code(qtbot, w, slip)
    with qtbot.waitSignal(w.desk.pending_shown, check_params_cb=lambda n: n == 1):
        hd.press_enter_to_hand_over(qtbot, w)
    assert w.desk.pending_label.text() == "Menunggu sinkron: 1"
    asked: list[str] = []

    def cancel(dialog) -> None:  # F9 with no hub opens the hub settings (issue 11.12)
        asked.append(dialog.objectName())
        dialog.reject()

    w.dialogs.opened.connect(cancel)
    with qtbot.waitSignal(w.flow.status) as blocker:
        QTest.keyClick(w, Qt.Key.Key_F9)
    w.dialogs.opened.disconnect(cancel)
    assert blocker.args[0] == "Alamat hub belum diatur (Ctrl+, untuk pengaturan)."
    assert asked == ["settingsDialog"]


def test_run_desktop_opens_the_login_on_the_site_and_returns_when_closed(qtbot, demo) -> None:
    shown: list[str] = []
    timer = QTimer()
    timer.setInterval(50)

    def close_when_ready() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.objectName() == "mainWindow" and w.isVisible()]
        if windows:
            timer.stop()
            shown.append(windows[0].windowTitle())
            windows[0].close()

    timer.timeout.connect(close_when_ready)
    timer.start()
    assert desk_app.run_desktop(home=demo.home) == 0
    assert shown == ["bekasi-field — Kota Baru"]


def test_a_database_that_is_not_ours_is_refused_with_a_message(qtbot, tmp_path: Path) -> None:
    home = tmp_path / "not-ours"
    home.mkdir()
    (home / "bekasi-field.db").write_bytes(b"this is a spreadsheet, not a database" * 10)
    said: list[str] = []

    def dismiss() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            said.append(box.text())
            box.close()
        else:
            QTimer.singleShot(50, dismiss)

    QTimer.singleShot(50, dismiss)
    assert desk_app.run_desktop(home=home) == 3
    assert said and "bukan basis data bekasi-field" in said[0]
    assert (home / "bekasi-field.db").read_bytes().startswith(b"this is a spreadsheet")
