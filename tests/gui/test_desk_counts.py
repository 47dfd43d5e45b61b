"""Issue 11, point 6: one count everywhere. After a wrong-site override and a void, the desk's
counter, the dashboard, the BAST and the XLSX say the same numbers, and the override is shown
as such (who approved, why) on the dashboard, the BAST and the XLSX."""

from __future__ import annotations

import helpers_desk as hd
import openpyxl
import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
REASON = "pindah domisili, surat pindah RT dilihat"


def _allocated(site, event_id: str) -> int:
    conn = site.db.raw()
    try:
        return conn.execute("SELECT count(*) FROM entitlements WHERE event_id = ?",
                            (event_id,)).fetchone()[0]
    finally:
        conn.close()


def _approve(reason: str | None = None):
    """Answers the supervisor's PIN dialog (with a reason when asked) and the identity form."""

    def answer(dialog) -> None:
        try:
            if dialog.objectName() == "supervisorApproval":
                if reason is not None:
                    dialog.reason.setFocus()
                    QTest.keyClicks(dialog.reason, reason)
                dialog.supervisor.setCurrentIndex(dialog.supervisor.findData("SPV01"))
                QTest.keyClicks(dialog.pin, "202611")
            elif hasattr(dialog, "ktp"):
                dialog.ktp.setFocus()
                QTest.keyClick(dialog.ktp, Qt.Key.Key_Space)
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    return answer


def _back_to(qtbot, w) -> None:
    """The window manager gives the window back its focus when a dialog closes; offscreen Qt
    does not, and window shortcuts wait for it."""
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)


def _pdf_text(path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_override_and_void_give_the_same_numbers_on_desk_dashboard_bast_and_xlsx(
        qtbot, themed, open_window, demo, desk_site, tmp_path) -> None:
    allocated = _allocated(desk_site, demo.event_id)
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    for _household, slip in hd.slip_texts(desk_site, demo.event_id, n=3):
        hd.type_code(qtbot, w, slip)
        hd.press_enter_to_hand_over(qtbot, w)
    # A household of the sibling site, let through by the supervisor with a reason (F8).
    _other, nik = hd.household_of_kelurahan(desk_site, demo.sibling_event_id, "Bintara Jaya")
    assert hd.type_code(qtbot, w, nik).code.value == "WRONG_SITE"
    w.flow.dialog_opened.connect(_approve(REASON))
    with qtbot.waitSignal(w.flow.saved, timeout=10_000):
        QTest.keyClick(w, Qt.Key.Key_F8)
    w.flow.dialog_opened.disconnect()
    _back_to(qtbot, w)
    # Void the third slip's hand-over: Ctrl+1, second row (the override is the newest), F7.
    QTest.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 4, timeout=5000)
    view = w.desk.handover_view
    QTest.keyClick(view, Qt.Key.Key_Home)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert w.desk.selected_handover() is not None
    assert not getattr(w.desk.selected_handover(), "override_by", "")
    prompts: list[str] = []
    w.flow.dialog_opened.connect(lambda d: prompts.append(d.findChild(QLabel).text()))
    w.flow.dialog_opened.connect(_approve("salah serah, diulang"))
    with qtbot.waitSignal(w.desk.counts_shown, timeout=10_000), \
            qtbot.waitSignal(w.flow.voided, timeout=10_000):
        QTest.keyClick(view, Qt.Key.Key_F7)
    w.flow.dialog_opened.disconnect()
    _back_to(qtbot, w)
    assert "Di daftar hari ini: baris No. 3." in prompts[0]  # the number the officer sees
    # The list (newest first) names the approving supervisor, as the XLSX below does.
    qtbot.waitUntil(lambda: w.desk.handovers.row(1).voided, timeout=5000)
    assert w.desk.handovers.data(w.desk.handovers.index(0, 7)) == (
        f"izin pengawas Hj. Nurhayati Suryana (SPV01): {REASON}")

    # The desk: only this event's households count; the override is counted apart.
    qtbot.waitUntil(lambda: w.desk.counts is not None and w.desk.counts.collected == 2,
                    timeout=5000)
    remaining = allocated - 2
    assert w.desk.progress.text().startswith(f"2 dari {allocated} sudah diambil")
    counts_text = w.desk.counts_label.text()
    assert f"Sisa {remaining}" in counts_text
    assert "+1 dari lokasi lain (izin pengawas)" in counts_text
    assert w.width() <= 1366  # the longer line wraps; the window still fits the screen

    # The dashboard (Ctrl+3): the same numbers, no "Bintara Jaya 1 / 0", the override named.
    qtbot.waitUntil(lambda: w.desk.dashboard is not None, timeout=10_000)
    dash = w.desk.dashboard
    with qtbot.waitSignal(dash.refreshed, timeout=10_000):
        QTest.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    rows = {dash.table.item(r, 0).text(): dash.table.item(r, 1).text()
            for r in range(dash.table.rowCount())}
    assert "Bintara Jaya" not in rows
    assert dash.total.text().startswith(f"Total: 2 dari {allocated} KPM")
    assert f"Belum mengambil: {remaining} KPM" in dash.outside.text()
    assert "izin pengawas: 1 KPM" in dash.outside.text()
    assert "SPV01" in dash.outside.text() and REASON in dash.outside.text()

    # The BAST and the XLSX, written from the dashboard.
    pdf, xlsx = tmp_path / "bast.pdf", tmp_path / "rekap.xlsx"
    with qtbot.waitSignal(dash.exported, timeout=30_000):
        dash.export("bast", pdf)
    with qtbot.waitSignal(dash.exported, timeout=30_000):
        dash.export("xlsx", xlsx)
    text = " ".join(_pdf_text(pdf).split())
    assert f"KPM dialokasikan : {allocated}" in text
    assert "KPM menerima : 2" in text
    assert f"Belum mengambil : {remaining}" in text
    assert "Dari lokasi lain dengan izin pengawas (di luar alokasi) : 1" in text
    assert "Serah terima dengan izin pengawas (1)" in text
    assert "disetujui pengawas" in text and "(SPV01)" in text and REASON in text

    wb = openpyxl.load_workbook(xlsx)
    handovers, left, recap = (wb.worksheets[i] for i in range(3))
    assert left.max_row - 1 == remaining  # one row per household still to collect
    header = [c.value for c in handovers[1]]
    overrides = [r[header.index("Izin pengawas (alasan)")] for r in
                 handovers.iter_rows(min_row=2, values_only=True)]
    assert [o for o in overrides if o] == [f"Hj. Nurhayati Suryana (SPV01): {REASON}"]
    kelurahan_rows = []
    for r in recap.iter_rows(min_row=2, values_only=True):
        if r[0] == "Jumlah":
            break
        kelurahan_rows.append(r)
    assert sum(r[2] for r in kelurahan_rows) == 2  # collected
    assert sum(r[4] for r in kelurahan_rows) == remaining  # still to collect
    assert "Bintara Jaya" not in [r[0] for r in kelurahan_rows]
    below = [r for r in recap.iter_rows(values_only=True) if r[0] == "Di luar alokasi (izin "
             "pengawas)"]
    assert below and below[0][2] == 1


# --- 9: lists show void reasons, number their rows 1..N, and Ctrl+1 selects the entry saved -----
def _cell(model, row: int, col: int) -> str:
    return model.data(model.index(row, col))


def test_lists_number_rows_show_void_reasons_and_ctrl1_selects_the_entry_saved(
        qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    slips = hd.slip_texts(desk_site, demo.event_id, n=3)
    saved = []
    for _household, slip in slips[:2]:
        hd.type_code(qtbot, w, slip)
        saved.append(hd.press_enter_to_hand_over(qtbot, w))
    # F7 right after the second save voids it (a void takes a journal number too).
    w.flow.dialog_opened.connect(_approve("salah serah, diulang"))
    with qtbot.waitSignal(w.flow.voided, timeout=10_000):
        QTest.keyClick(w, Qt.Key.Key_F7)
    w.flow.dialog_opened.disconnect()
    _back_to(qtbot, w)
    hd.type_code(qtbot, w, slips[2][1])
    third = hd.press_enter_to_hand_over(qtbot, w)
    assert third.seq == saved[1].seq + 2  # the journal's numbers skip the void

    # Ctrl+1: the entry just saved is the one selected; F7 would act on it.
    model = w.desk.handovers
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    QTest.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.desk.handover_view.hasFocus()
    qtbot.waitUntil(lambda: w.desk.selected_handover() is not None, timeout=5000)
    assert w.desk.selected_handover().uuid == third.uuid
    # Row numbers 3, 2, 1 (newest first), not the journal's 5, 2, 1.
    assert [_cell(model, r, 0) for r in range(3)] == ["3", "2", "1"]
    # The voided row says why and who, named as the officer column names officers.
    assert _cell(model, 1, 7) == "DIBATALKAN: salah serah, diulang — Hj. Nurhayati Suryana (SPV01)"
    # The officer picks another row: a reload (a sync, a save elsewhere) keeps that choice.
    QTest.keyClick(w.desk.handover_view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    picked = w.desk.selected_handover().uuid
    assert picked == saved[0].uuid
    with qtbot.waitSignal(model.page_loaded, timeout=5000):
        w.desk.reload_handovers()
    assert w.desk.selected_handover().uuid == picked


# --- 10: name search says who matched, how they belong, the status and a masked NIK ----------
def _head_not_recipient(site, event_id: str) -> tuple[str, str, str, str]:
    """(household, head's name, head's NIK, recipient's name) of an entitled household whose
    recipient is not the head."""
    conn = site.db.raw()
    try:
        return conn.execute(
            "SELECT m.household_id, m.name, m.nik, r.name FROM members m "
            "JOIN members r ON r.household_id = m.household_id AND r.is_recipient = 1 "
            "JOIN households h ON h.id = m.household_id AND h.status = 'active' "
            "WHERE m.is_recipient = 0 AND m.relationship = 'Kepala Keluarga' "
            "AND m.household_id IN (SELECT household_id FROM entitlements WHERE event_id = ?) "
            "ORDER BY m.household_id LIMIT 1", (event_id,)).fetchone()
    finally:
        conn.close()


def _search(qtbot, w, query: str) -> int:
    w.desk.code.setFocus()
    with qtbot.waitSignal(w.desk.candidates_shown, timeout=10_000) as shown:
        QTest.keyClicks(w.desk.code, query)
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    return shown.args[0]


def _items(w) -> list[str]:
    return [w.desk.candidates.item(i).text() for i in range(w.desk.candidates.count())]


def test_name_search_names_the_match_its_relation_status_and_keeps_the_list(
        qtbot, open_window, demo, desk_site) -> None:
    from bekasi_field.domain.identifiers import mask

    w = open_window()
    w.resize(1366, 740)  # a 1366x768 laptop less its taskbar
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, head, head_nik, recipient = _head_not_recipient(desk_site, demo.event_id)
    assert _search(qtbot, w, head.lower()) >= 1
    texts = _items(w)
    row = next(i for i, t in enumerate(texts) if t.startswith(f"{head} (Kepala Keluarga)"))
    assert mask(head_nik) in texts[row] and head_nik not in texts[row]
    assert "BERHAK" in texts[row] and f"penerima: {recipient}" in texts[row]

    # Open it: the panel names the recipient AND who was looked for, and how they belong.
    w.desk.candidates.setCurrentRow(row)
    with qtbot.waitSignal(w.desk.verdict_shown, timeout=10_000) as shown:
        QTest.keyClick(w.desk.candidates, Qt.Key.Key_Return)
    assert shown.args[0].household_id == household
    shown_rows = {c.text(): v.text() for c, v in w.desk.panel._detail_labels.values()}
    assert shown_rows["Penerima"] == recipient
    assert head in shown_rows["Dicari"] and "Kepala Keluarga" in shown_rows["Dicari"]
    # The list stays (the officer may check another result) until a new search.
    assert w.desk.side_stack.currentWidget() is w.desk.candidates
    assert _items(w) == texts

    # Hand over: the result now says it was collected, still on screen.
    def identity(dialog) -> None:
        if hasattr(dialog, "ktp"):
            dialog.ktp.setFocus()
            QTest.keyClick(dialog.ktp, Qt.Key.Key_Space)
            dialog.accept()

    w.flow.dialog_opened.connect(identity)
    with qtbot.waitSignal(w.desk.candidates_shown, timeout=10_000):
        hd.press_enter_to_hand_over(qtbot, w)
    w.flow.dialog_opened.disconnect(identity)
    assert w.desk.side_stack.currentWidget() is w.desk.candidates
    assert "SUDAH DIAMBIL" in _items(w)[row]


@pytest.fixture
def themed(qapp):
    """The desk's real look (12 pt, its stylesheet): sizes as an officer's screen shows them."""
    from bekasi_field.gui.theme import apply_theme

    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_ten_name_results_fit_a_1366x768_screen(qtbot, themed, open_window, demo,
                                                tmp_path) -> None:
    # A desk set up with a camera (this one unplugged): its preview takes the left column.
    w = open_window(camera=str(tmp_path / "unplugged-camera.avi"))
    w.resize(1366, 740)
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    qtbot.waitUntil(lambda: w.camera.state == "error", timeout=10_000)
    assert _search(qtbot, w, "siti") == 10
    view = w.desk.candidates
    def all_shown() -> bool:  # once the layout has given the list the camera's room
        visible = view.viewport().rect()
        return all(visible.contains(view.visualItemRect(view.item(i)))
                   for i in range(view.count()))

    qtbot.waitUntil(all_shown, timeout=10_000)
    for i in range(view.count()):
        assert "\n" in view.item(i).text()  # two lines each, none cut off
        assert "NIK " in view.item(i).text() and "••••" in view.item(i).text()
        assert "RT " in view.item(i).text()
