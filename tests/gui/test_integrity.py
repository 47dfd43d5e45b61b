"""The desk opens without reading the whole database, then checks it on a worker: a damaged
file closes the desk with the reason, and the file is left as it was."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from bekasi_field import app as desk_app
from bekasi_field.gui import launch
from bekasi_field.services.demo import build_demo
from bekasi_field.services.site import Site


def _damage_a_middle_page(db: Path) -> None:
    from home_db import connect_home
    conn = connect_home(db.parent)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    for off in range(middle + 8, middle + page - 8):  # keep the page header, garble the cells
        data[off] = 0xA5
    db.write_bytes(bytes(data))


def test_a_damaged_database_found_after_the_login_shows_closes_the_desk(
        qtbot, home: Path, monkeypatch) -> None:
    build_demo(home=home, households=400)
    db = home / "bekasi-field.db"
    _damage_a_middle_page(db)
    before = db.read_bytes()
    site = Site.open(home, full_check=False)  # what the desk does: the login shows at once
    said: list[str] = []
    monkeypatch.setattr(launch.QMessageBox, "critical",
                        staticmethod(lambda _parent, _title, text: said.append(text)))
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    launch.check_integrity_in_background(window, site)
    qtbot.waitUntil(lambda: bool(window.property("integrityChecked")), timeout=20_000)
    site.close()
    assert said and "rusak" in said[0]
    assert not window.isVisible()
    assert db.read_bytes() == before


def test_a_sound_database_passes_the_background_check(qtbot, home: Path) -> None:
    build_demo(home=home, households=30)
    checked: list[bool] = []
    deadline = time.monotonic() + 30

    def close_when_checked() -> None:
        live = [w for w in QApplication.topLevelWidgets()
                if w.objectName() == "mainWindow" and w.isVisible()]
        if live and live[0].property("integrityChecked"):
            checked.append(True)
            live[0].close()
        elif time.monotonic() > deadline:  # fail the assertion below rather than hang
            for w in live:
                w.close()
        else:
            QTimer.singleShot(50, close_when_checked)

    QTimer.singleShot(50, close_when_checked)
    assert desk_app.run_desktop(home=home) == 0
    assert checked == [True]  # checked, and the desk stayed open for the officer
