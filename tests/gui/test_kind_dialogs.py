"""The desk's enrolment (Ctrl+Shift+E) and graduation (Ctrl+G) dialogs in a real window."""

from __future__ import annotations

import pytest
from helpers_desk import PENDAMPING, PETUGAS, open_desk, type_code
from PySide6.QtCore import QPointF

from bekasi_field.services.demo_kinds import ENROLMENT_EVENT_ID, GRADUATION_EVENT_ID

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _rows(desk_site, sql: str, *args: object) -> list[tuple]:
    conn = desk_site.db.raw()  # the file is encrypted: through the site's opener
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _non_modal(w, monkeypatch) -> list:
    shown: list = []
    monkeypatch.setattr(w.dialogs, "run", lambda d: (shown.append(d), d.show()))
    return shown


def test_enrol_a_selected_worker_from_the_desk_menu(qtbot, open_window, desk_site, monkeypatch,
                                                    tmp_path) -> None:
    w = open_window()
    open_desk(qtbot, w, ENROLMENT_EVENT_ID, PETUGAS)
    shown = _non_modal(w, monkeypatch)
    nik = _rows(desk_site, "SELECT nik FROM person_entitlements WHERE event_id = ? "
                "ORDER BY rank LIMIT 1", ENROLMENT_EVENT_ID)[0][0]
    action = w.actions.by_name["enrol"]
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+E"
    action.trigger()
    dialog = shown[0]
    dialog.nik.setText(nik)
    dialog.run_check()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert "terpilih" in dialog.person.text() and nik not in dialog.person.text()
    dialog.occupation.setCurrentIndex(1)  # pedagang kaki lima
    dialog.phone.setText("021 555")
    dialog.save()
    assert "08" in dialog.message.text()  # a landline is refused before anything is saved
    dialog.phone.setText("0812-3456-7890")
    dialog.heir_name.setText("Siti Aminah")
    dialog.pin.setText(PETUGAS[1])
    dialog.save()
    qtbot.waitUntil(lambda: "NO_CONSENT" in dialog.message.text(), timeout=10_000)
    dialog.consent.setChecked(True)
    dialog.grab().save(str(tmp_path / "enrol_dialog.png"))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    rows = _rows(desk_site, "SELECT kind, recipient_nik, officer_id FROM journal")
    assert rows == [("enrolment", nik, PETUGAS[0])]


def test_graduate_the_household_on_screen(qtbot, open_window, desk_site, monkeypatch) -> None:
    w = open_window()
    open_desk(qtbot, w, GRADUATION_EVENT_ID, PENDAMPING)
    shown = _non_modal(w, monkeypatch)
    household = _rows(desk_site, "SELECT household_id FROM entitlements WHERE event_id = ? "
                      "ORDER BY household_id LIMIT 1", GRADUATION_EVENT_ID)[0][0]
    assert type_code(qtbot, w, household).code.value == "ELIGIBLE"
    w.actions.by_name["graduate"].trigger()
    dialog = shown[0]
    assert dialog.code.text() == household
    dialog.signature.draw_line(QPointF(10, 10), QPointF(200, 80))
    dialog.signature.strokes = 1
    dialog.pin.setText(PENDAMPING[1])
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    assert type_code(qtbot, w, household).code.value == "SUSPENDED"
    assert _rows(desk_site, "SELECT kind, reason FROM journal") == [
        ("graduation", "sejahtera_mandiri")]
