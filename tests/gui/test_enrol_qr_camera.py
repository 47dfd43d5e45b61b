"""A fresh desk reads the enrolment QR that the hub's web console shows (its Devices page, a
real hub on 127.0.0.1) with its camera on the first-run page: the hub address and the code are
filled in, the camera goes off, and the desk enrols with them. The camera is an image file of
the console's own QR (its SVG drawn by Qt), as a laptop screen held up to a webcam."""

from __future__ import annotations

import html
import re
from pathlib import Path

import cv2
import helpers_desk as hd
import numpy as np
import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from bekasi_field.hub import crud
from bekasi_field.hub.console import accounts
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import set_language, tr
from bekasi_field.services.site import Site

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
ADMIN, PASSWORD = "admin.dinsos", "kata-sandi-rahasia"



def _console_code(url: str) -> tuple[str, str]:
    """An administrator makes an enrolment code in the console: (the QR's SVG, its text)."""
    import httpx
    with httpx.Client(base_url=url + "/console", timeout=30) as client:
        assert client.post("/login", data={"account_id": ADMIN,
                                           "password": PASSWORD}).status_code == 303
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/devices").text)
        assert token
        r = client.post("/devices/code", data={"csrf": token.group(1), "site": "Kota Baru"})
    assert r.status_code == 200
    found = re.search(r'<div class="qr" id="code-qr" data-text="([^"]+)">(.*?)</div>', r.text,
                      re.DOTALL)
    assert found, "no QR on the console's page"
    return found.group(2), html.unescape(found.group(1))


def _screen_photo(svg: str, path: Path) -> Path:
    """The console's QR drawn at 220 px on a grey 640x480 frame, slightly soft, as a webcam
    sees a laptop screen."""
    frame = QImage(640, 480, QImage.Format.Format_RGB888)
    frame.fill(QColor(118, 124, 130))
    painter = QPainter(frame)
    painter.fillRect(190, 110, 260, 260, QColor(255, 255, 255))
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    assert renderer.isValid()
    renderer.render(painter, _rect(210, 130, 220, 220))
    painter.end()
    ptr = frame.constBits()
    rgb = np.frombuffer(ptr, np.uint8).reshape(480, frame.bytesPerLine())[:, :640 * 3]
    bgr = cv2.cvtColor(rgb.reshape(480, 640, 3), cv2.COLOR_RGB2BGR)
    bgr = cv2.GaussianBlur(bgr, (3, 3), 0.8)
    assert cv2.imwrite(str(path), bgr)
    return path


def _rect(x: int, y: int, w: int, h: int):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRectF
    return QRectF(x, y, w, h)


@pytest.mark.slow
def test_first_run_reads_the_consoles_enrolment_qr_with_the_camera(
        qtbot, open_window, tmp_path: Path) -> None:
    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    with store.write() as conn:
        accounts.add_account(conn, account_id=ADMIN, password=PASSWORD, role="admin")
    hub = hh.ThreadHub(store).start()
    fresh = Site.open(tmp_path / "desk")
    try:
        svg, qr_text = _console_code(hub.url)
        camera = _screen_photo(svg, tmp_path / "console-qr.png")
        w = open_window(site=fresh, camera=str(camera))
        page = w.first_run
        assert w.stack.currentWidget() is page
        assert page.scan_button.isVisible() and w.camera.state == "off"
        assert page.hub_url.text() == "" and page.enrol_code.text() == ""
        qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
        assert page.camera_view is not None and page.camera_view.isVisible()
        qtbot.waitUntil(lambda: page.enrol_code.text() != "", timeout=30_000)
        assert page.hub_url.text() == hub.url
        assert f"code={page.enrol_code.text()}" in qr_text  # the console's own code
        assert page.message.text() == tr("gui.first.qr_read", url=hub.url)
        # Read once: the camera goes off and its picture leaves the page.
        qtbot.waitUntil(lambda: w.camera.state == "off")
        assert not page.scan_button.isChecked() and not page.camera_view.isVisible()
        with qtbot.waitSignal(w.page_changed, timeout=30_000,
                              check_params_cb=lambda p: p == "login"):
            qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
        assert w.windowTitle() == "bekasi-field — Kota Baru"
        with store.read() as conn:
            assert [d["id"] for d in crud.list_devices(conn)] == [fresh.db.get_meta("device_id")]
    finally:
        fresh.close()
        hub.stop()
        store.dispose()


def test_a_code_that_is_not_an_enrolment_qr_is_named_and_fills_nothing(
        qtbot, open_window, tmp_path: Path) -> None:
    set_language("id")
    fresh = Site.open(tmp_path / "desk")
    try:
        page = open_window(site=fresh).first_run
        assert page.take_enrol_qr("KPM-0001") is False
        assert page.message.text() == tr("gui.first.not_enrol_qr")
        assert page.hub_url.text() == "" and page.enrol_code.text() == ""
        assert page.take_enrol_qr("bekasi-field://enrol?hub=http://10.0.0.5:8000&code=AB-12")
        assert (page.hub_url.text(), page.enrol_code.text()) == ("http://10.0.0.5:8000", "AB-12")
    finally:
        fresh.close()
