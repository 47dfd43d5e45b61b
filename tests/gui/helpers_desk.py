"""Driving the desk window the way an officer does, waiting on signals (never sleeping)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.domain.slip_codec import decode_slip
from bekasi_field.gui.main_window import MainWindow
from bekasi_field.scan.synthetic import write_video
from bekasi_field.services.keys import ensure_signer
from bekasi_field.services.site import Site
from bekasi_field.services.slips import event_slip_cards

SUPERVISOR = ("SPV01", "202611")
PETUGAS = ("PTG01", "1111")
PENDAMPING = ("PKH01", "3333")
PAGE_WAIT_MS = 10_000


def login(qtbot: Any, w: MainWindow, officer: tuple[str, str], *, expect: str = "event") -> None:
    page = w.login
    for i in range(page.officer.count()):
        if page.officer.itemData(i).id == officer[0]:
            page.officer.setCurrentIndex(i)
    page.pin.setFocus()
    with qtbot.waitSignal(w.page_changed, timeout=PAGE_WAIT_MS,
                          check_params_cb=lambda name: name == expect):
        QTest.keyClicks(page.pin, officer[1])
        QTest.keyClick(page.pin, Qt.Key.Key_Return)


def choose_event(qtbot: Any, w: MainWindow, event_id: str) -> None:
    qtbot.waitUntil(lambda: w.events.events.count() > 0, timeout=PAGE_WAIT_MS)
    for i in range(w.events.events.count()):
        if w.events.events.item(i).data(Qt.ItemDataRole.UserRole).id == event_id:
            w.events.events.setCurrentRow(i)
    with qtbot.waitSignal(w.desk.counts_shown, timeout=PAGE_WAIT_MS):
        QTest.keyClick(w.events.events, Qt.Key.Key_Return)


def open_desk(qtbot: Any, w: MainWindow, event_id: str,
              officer: tuple[str, str] = SUPERVISOR) -> None:
    login(qtbot, w, officer)
    choose_event(qtbot, w, event_id)


def type_code(qtbot: Any, w: MainWindow, code: str) -> Any:
    """Type into the code field and press Enter; the verdict shown."""
    w.desk.code.setFocus()
    with qtbot.waitSignal(w.desk.verdict_shown, timeout=PAGE_WAIT_MS) as blocker:
        QTest.keyClicks(w.desk.code, code)
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    return blocker.args[0]


def press_enter_to_hand_over(qtbot: Any, w: MainWindow, *, document: str = "1") -> Any:
    """Enter in the empty code field records the hand-over; the RecordedEntry. A signed slip
    asks which document matched: `document` is the key pressed (1 KTP, 2 KK)."""

    def id_check(dialog: Any) -> None:
        if dialog.objectName() == "idCheckDialog":
            QTest.keyClick(dialog, Qt.Key.Key_1 if document == "1" else Qt.Key.Key_2)

    w.flow.dialog_opened.connect(id_check)
    w.desk.code.setFocus()
    try:
        with qtbot.waitSignal(w.flow.saved, timeout=PAGE_WAIT_MS) as blocker:
            QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    finally:
        w.flow.dialog_opened.disconnect(id_check)
    return blocker.args[0]


def slip_texts(site: Site, event_id: str, n: int = 3) -> list[tuple[str, str]]:
    """(household_id, signed slip text) for the first n slips of the event."""
    signer = ensure_signer(site.db.engine, site.layout.keys_dir)
    cards = event_slip_cards(engine=site.db.engine, event_id=event_id, signer=signer)
    out = []
    for card in cards[:n]:
        payload = decode_slip(card.qr_text).payload
        assert payload is not None
        out.append((payload.household_id, card.qr_text))
    return out


def slip_video(path: Path, texts: list[str]) -> Path:
    """A desk camera stand-in: each slip shown for 10 frames, then out of view for 50 frames
    (3.3 s at 15 fps, longer than the scan loop's 3 s cool-down, so it reads again)."""
    write_video(path, texts, hold=10, gap=25, size=(640, 480), fps=15.0)
    return path


def household_of_kelurahan(site: Site, event_id: str, kelurahan: str | None = None,
                           *, offset: int = 0) -> tuple[str, str]:
    """(household_id, recipient NIK) of an entitled household of the event."""
    conn = site.db.raw()
    try:
        row = conn.execute(
            "SELECT e.household_id, m.nik FROM entitlements e "
            "JOIN households h ON h.id = e.household_id "
            "JOIN members m ON m.household_id = h.id AND m.is_recipient = 1 "
            "WHERE e.event_id = ? AND h.status = 'active' AND (? IS NULL OR h.kelurahan = ?) "
            "ORDER BY e.household_id LIMIT 1 OFFSET ?",
            (event_id, kelurahan, kelurahan, offset)).fetchone()
    finally:
        conn.close()
    assert row is not None
    return row[0], row[1]


def hub_helpers() -> ModuleType:
    """The real-hub helpers (tests/hub/helpers_hub.py), loaded by path (tests/hub is not a
    package on this directory's import path)."""
    name = "bkf_helpers_hub_for_desk"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "hub" / "helpers_hub.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
