"""The desk's words on a real day (issue 11 points 7, 8, 15): each test drives the real window
with keys. A mistyped NIK says what is wrong while it is typed; an edited slip is not a camera
problem; a person who cannot collect here is told where to go."""

from __future__ import annotations

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _type_slowly(w, text: str) -> None:
    w.desk.code.setFocus()
    for ch in text:
        QTest.keyClicks(w.desk.code, ch)


def _enter(qtbot, w):
    with qtbot.waitSignal(w.desk.verdict_shown, timeout=hd.PAGE_WAIT_MS) as blocker:
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    return blocker.args[0]


def _panel(w) -> tuple[str, str, str]:
    p = w.desk.panel
    return p.headline.text(), p.message.text(), p.next_step.text()


# --- 7: a mistyped NIK says what is wrong while it is typed; unknown codes are told apart -----
def test_a_mistyped_nik_says_what_is_wrong_as_it_is_typed(qtbot, open_window, demo,
                                                          desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    _household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru")
    hint = w.desk.code_hint

    _type_slowly(w, nik[:15])
    assert hint.text() == "15 dari 16 digit"
    verdict = _enter(qtbot, w)
    _headline, message, next_step = _panel(w)
    assert verdict.code.value == "UNKNOWN"
    assert message == "NIK harus 16 digit — terketik 15 digit."
    assert "Coba cari dengan nama" not in next_step and "ketik ulang" in next_step
    first_code = w.desk.panel._detail_labels["code"][1].text()
    assert first_code == " ".join([nik[0:4], nik[4:8], nik[8:12], nik[12:15]])

    bad_region = "99" + nik[2:]
    _type_slowly(w, bad_region)
    assert hint.text() == f"Kode wilayah 99{nik[2:6]} tidak ada: periksa 6 angka pertama NIK."
    assert hint.property("problem") is True
    _enter(qtbot, w)
    assert _panel(w)[1] == hint.text() or _panel(w)[1].startswith("Kode wilayah 99")
    second_code = w.desk.panel._detail_labels["code"][1].text()
    assert second_code != first_code and second_code.startswith("99")
    recent = [w.desk.history_list.item(i).text() for i in range(2)]
    assert "TIDAK DIKENAL  9975" in recent[0] and "TIDAK DIKENAL  3275" in recent[1]
    assert nik not in " ".join(recent) and bad_region not in recent[0]  # masked there

    bad_date = nik[:6] + "3213" + nik[10:]
    _type_slowly(w, bad_date)
    assert hint.text().startswith("Tanggal lahir dalam NIK tidak mungkin (32-13-")
    _type_slowly(w, "7")  # a 17th digit
    assert hint.text() == "NIK harus 16 digit — terketik 17 digit."
    w.desk.code.clear()
    assert hint.text() == ""

    # a well-formed NIK that is simply not in the data: unknown, with the code shown
    unknown = nik[:12] + ("9999" if nik[12:] != "9999" else "9998")
    _type_slowly(w, unknown)
    assert hint.property("problem") is False
    assert _enter(qtbot, w).code.value == "UNKNOWN"
    assert _panel(w)[1] == "Kode tidak ditemukan dalam data keluarga penerima."
    assert w.desk.panel._detail_labels["code"][1].text().replace(" ", "") == unknown
    assert w.desk.panel._detail_labels["code"][0].text() == "Kode"


# --- 8: an edited or forged slip is not valid (call the supervisor), not "scan again" ---------
def _edited(slip: str) -> str:
    import cbor2

    from bekasi_field.domain.base45 import b45decode, b45encode
    from bekasi_field.domain.slip_codec import SLIP_PREFIX

    body, signature = cbor2.loads(b45decode(slip[len(SLIP_PREFIX):]))
    edited = body[:-1] + b"\xff"  # the last byte of what the issuer signed, changed
    return SLIP_PREFIX + b45encode(cbor2.dumps([edited, signature]))


def _resigned_for(slip: str, household: str) -> str:
    """The slip's content with another household in it, the original signature kept."""
    import cbor2

    from bekasi_field.domain.base45 import b45decode, b45encode
    from bekasi_field.domain.slip_codec import SLIP_PREFIX

    body, signature = cbor2.loads(b45decode(slip[len(SLIP_PREFIX):]))
    fields = cbor2.loads(body)
    fields[2] = household
    return SLIP_PREFIX + b45encode(cbor2.dumps([cbor2.dumps(fields), signature]))


def test_an_edited_slip_is_not_valid_and_calls_the_supervisor(qtbot, open_window, demo,
                                                              desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(first, slip), (second, _other)] = hd.slip_texts(desk_site, demo.event_id, n=2)

    for forged in (_edited(slip), _resigned_for(slip, second)):
        verdict = hd.type_code(qtbot, w, forged)
        headline, message, next_step = _panel(w)
        assert verdict.code.value == "INVALID_SIGNATURE", (headline, message)
        assert headline == "UNDANGAN TIDAK SAH"
        assert message.startswith("Undangan tidak sah — panggil supervisor.")
        assert "Panggil supervisor" in next_step and "Pindai ulang" not in next_step
        assert not w.desk.handover_button.isEnabled()

    # a code cut short (a scanner that dropped the end) stays "scan again"
    verdict = hd.type_code(qtbot, w, slip[: len(slip) // 2])
    headline, _message, next_step = _panel(w)
    assert verdict.code.value == "MALFORMED" and headline == "TIDAK TERBACA"
    assert "Pindai ulang" in next_step
    assert first  # the real slip still works
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"


# --- 15 (part): SALAH LOKASI and DITANGGUHKAN say where to send the person -------------------
def test_wrong_site_and_suspended_say_where_to_send_the_person(qtbot, open_window, demo,
                                                               desk_site) -> None:
    _other, sibling_nik = hd.household_of_kelurahan(desk_site, demo.sibling_event_id)
    suspended, suspended_nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru",
                                                         offset=3)
    conn = desk_site.db.raw()
    site = conn.execute("SELECT site_kelurahan FROM events WHERE id = ?",
                        (demo.sibling_event_id,)).fetchone()[0]
    conn.execute("UPDATE households SET status = 'suspended' WHERE id = ?", (suspended,))
    conn.close()
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)

    assert hd.type_code(qtbot, w, sibling_nik).code.value == "WRONG_SITE"
    headline, _message, next_step = _panel(w)
    assert headline == "SALAH LOKASI"
    assert f"Arahkan ke lokasi penyaluran Kelurahan {site}" in next_step
    assert "F8" in next_step

    assert hd.type_code(qtbot, w, suspended_nik).code.value == "SUSPENDED"
    _headline, _message, next_step = _panel(w)
    assert "pendamping PKH atau Dinas Sosial Kota Bekasi" in next_step

    with qtbot.waitSignal(w.desk.verdict_shown):  # the language switch judges it again
        QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert "PKH facilitator or the Kota Bekasi Social Affairs Office" in _panel(w)[2]


# --- 15 (part): Ctrl+B with the dashboard open leaves nothing in the other language ----------
def test_ctrl_b_translates_an_open_dashboard_whole(qtbot, open_window, demo, desk_site) -> None:
    from PySide6.QtWidgets import QGroupBox, QPushButton

    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    qtbot.waitUntil(lambda: w.desk.dashboard is not None, timeout=hd.PAGE_WAIT_MS)
    dash = w.desk.dashboard
    with qtbot.waitSignal(dash.refreshed, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert dash.total.text().startswith("Total: ") and "KPM" in dash.total.text()

    def texts() -> list[str]:
        header = dash.table.horizontalHeader().model()
        return [dash.title.text(), dash.total.text(), dash.sync_label.text(),
                *(b.title() for b in dash.findChildren(QGroupBox)),
                *(b.text() for b in dash.findChildren(QPushButton)),
                *(str(header.headerData(i, Qt.Orientation.Horizontal)) for i in range(2)),
                *(dash.conflicts.item(i).text() for i in range(dash.conflicts.count()))]

    indonesian = texts()
    QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    english = texts()
    assert english[0].startswith("Supervisor dashboard")
    assert "households" in english[1]
    assert "Collected / allocated per kelurahan" in english
    assert "Print BAST (PDF)…" in english and "Refresh" in english
    from bekasi_field.gui.dashboard import MONTHS_EN

    assert MONTHS_EN[dash.data.day.month - 1] in dash.chart_box.title()  # not "Desember"
    left = [(a, b) for a, b in zip(indonesian, english, strict=True)
            if a == b and a not in ("", "Kelurahan")]
    assert left == [], left  # every text changed language ("Kelurahan" is the word in both)
    QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert texts() == indonesian


# --- 2 (rest): the KTP/KK match is the event's choice, on unless created with --no-id-check ---
def test_the_id_check_of_a_slip_is_the_events_choice(qtbot, open_window, demo, desk_site,
                                                     cli) -> None:
    import json

    from bekasi_field.domain.site_formats import site_today

    day = site_today().isoformat()
    made = cli("event", "create", "--programme", "KKS", "--site", "Kota Baru", "--start", day,
               "--id", "KKS-TANPA-KTP", "--no-id-check", "--json")
    assert made.code == 0, made.err
    assert made.json["id_check"] is False
    listed = {e["id"]: e["id_check"] for e in cli("event", "list", "--json").json["events"]}
    assert listed == {**listed, "KKS-TANPA-KTP": False, demo.event_id: True}

    w = open_window()
    hd.open_desk(qtbot, w, "KKS-TANPA-KTP", hd.PETUGAS)
    [(household, slip)] = hd.slip_texts(desk_site, "KKS-TANPA-KTP", n=1)
    opened: list[str] = []

    def record(dialog) -> None:
        opened.append(dialog.objectName())
        dialog.reject()

    w.flow.dialog_opened.connect(record)
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"
    with qtbot.waitSignal(w.flow.saved, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)  # one Enter: no KTP/KK question
    assert opened == []
    conn = desk_site.db.raw()
    doc = json.loads(conn.execute("SELECT identity FROM journal WHERE household_id = ? AND "
                                  "event_id = 'KKS-TANPA-KTP'", (household,)).fetchone()[0])
    conn.close()
    assert not doc.get("ktp_seen") and not doc.get("kk_seen")

    # the default event still asks which document matched before it saves
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
        QTest.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    hd.choose_event(qtbot, w, demo.event_id)
    main_slip = next(text for hid, text in hd.slip_texts(desk_site, demo.event_id, n=3)
                     if hid != household)  # (the one collected above counts here too)
    assert hd.type_code(qtbot, w, main_slip).code.value == "ELIGIBLE"
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    assert opened == ["idCheckDialog"]
    w.flow.dialog_opened.disconnect(record)


# --- 11: SUDAH DIAMBIL names the desk and the officer as people call them ---------------------
def test_already_collected_names_the_desk_and_the_officer(qtbot, open_window, demo,
                                                          desk_site) -> None:
    conn = desk_site.db.raw()
    officer_name = conn.execute("SELECT name FROM officers WHERE id = 'SPV01'").fetchone()[0]
    conn.close()
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)

    def name_the_desk(dialog) -> None:
        try:
            assert dialog.objectName() == "settingsDialog"
            dialog.desk_name.setFocus()
            dialog.desk_name.selectAll()
            QTest.keyClicks(dialog.desk_name, "Meja 2")
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(name_the_desk)
    with qtbot.waitSignal(w.ops.idle, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(w, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    w.flow.dialog_opened.disconnect(name_the_desk)
    qtbot.waitUntil(lambda: "Pengaturan disimpan" in w.statusBar().currentMessage())
    assert "Meja 2" in w.windowTitle()

    [(_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    hd.type_code(qtbot, w, slip)
    hd.press_enter_to_hand_over(qtbot, w)
    assert hd.type_code(qtbot, w, slip).code.value == "ALREADY_COLLECTED"
    message = w.desk.panel.message.text()
    assert f"Meja 2 (meja ini), petugas {officer_name} (SPV01)" in message, message
    assert "perangkat" not in message


@pytest.fixture
def themed(qapp):
    """The desk's real look (12 pt, its stylesheet): sizes as an officer's screen shows them."""
    from bekasi_field.gui.theme import apply_theme

    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


# --- 5: every desk dialog fits 1366x768 less a taskbar, Save/Batal on screen, keys shown -----
def test_every_desk_dialog_fits_a_laptop_screen_and_shows_its_keys(qtbot, themed, open_window,
                                                                  demo, desk_site, cli) -> None:
    from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox

    from bekasi_field.domain.site_formats import site_today

    made = cli("event", "create", "--programme", "KKS", "--site", "Kota Baru", "--start",
               site_today().isoformat(), "--id", "KKS-BUKTI", "--photo", "--signature")
    assert made.code == 0, made.err
    seen: dict[str, tuple[int, list[str]]] = {}
    problems: list[str] = []

    def measure(dialog) -> None:
        try:
            dialog.show()
            qtbot.waitExposed(dialog)
            name = dialog.objectName() or type(dialog).__name__
            name = name if name not in seen else f"{name}#{len(seen)}"
            # with the window manager's title bar (offscreen has none: count 32 px for it)
            height = max(dialog.frameGeometry().height(), dialog.height() + 32)
            actions = [b for box in dialog.findChildren(QDialogButtonBox)
                       for b in box.buttons()] or [
                b for b in dialog.findChildren(QAbstractButton) if b.text()[:1] in "12E"]
            for b in actions:
                bottom = b.mapTo(dialog, b.rect().bottomLeft()).y()
                if not b.isVisible() or b.visibleRegion().isEmpty() or bottom > dialog.height():
                    problems.append(f"{name}: {b.text()} not on screen")
            seen[name] = (height, [b.text() for b in actions])
        finally:
            dialog.reject()
            w.activateWindow()  # shortcuts go to the active window, as on a real desk

    w = open_window()
    w.flow.dialog_opened.connect(measure)
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    [(_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    hd.type_code(qtbot, w, slip)
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)  # the KTP/KK question
    _other, sibling_nik = hd.household_of_kelurahan(desk_site, demo.sibling_event_id)
    hd.type_code(qtbot, w, sibling_nik)
    QTest.keyClick(w, Qt.Key.Key_F8)  # SALAH LOKASI: the supervisor's approval
    ctrl = Qt.KeyboardModifier.ControlModifier
    for key, mod in ((Qt.Key.Key_Comma, ctrl),  # settings
                     (Qt.Key.Key_O, ctrl),  # officers
                     (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),  # keys
                     (Qt.Key.Key_K, ctrl),  # complaint
                     (Qt.Key.Key_G, ctrl),  # PKH graduation
                     (Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier)):  # no hub: hub settings
        QTest.keyClick(w, key, mod)
    w.flow.dialog_opened.disconnect(measure)
    hd.type_code(qtbot, w, slip)
    hd.press_enter_to_hand_over(qtbot, w)
    w.flow.dialog_opened.connect(measure)
    before = len(seen)
    QTest.keyClick(w, Qt.Key.Key_F7)  # void the entry just saved (looked up on the worker)
    qtbot.waitUntil(lambda: len(seen) > before, timeout=hd.PAGE_WAIT_MS)
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
        QTest.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    from bekasi_field.services.demo_kinds import ENROLMENT_EVENT_ID

    hd.choose_event(qtbot, w, ENROLMENT_EVENT_ID)
    QTest.keyClick(w, Qt.Key.Key_E, ctrl | Qt.KeyboardModifier.ShiftModifier)  # enrolment
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
        QTest.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    hd.choose_event(qtbot, w, "KKS-BUKTI")
    _household, nik = hd.household_of_kelurahan(desk_site, "KKS-BUKTI", "Kota Baru", offset=4)
    hd.type_code(qtbot, w, nik)
    QTest.keyClick(w, Qt.Key.Key_F6)  # proxy + photo + signature: the tallest form
    qtbot.waitUntil(lambda: "handoverDialog" in seen, timeout=hd.PAGE_WAIT_MS)
    w.flow.dialog_opened.disconnect(measure)

    assert {"idCheckDialog", "settingsDialog", "handoverDialog"} <= set(seen), seen
    assert len(seen) >= 11, sorted(seen)  # + approval (F8, F7), officers, help, ...
    assert {"complaintDialog", "graduateDialog", "enrolDialog"} <= set(seen), sorted(seen)
    assert problems == []
    tall = {name: h for name, (h, _texts) in seen.items() if h > 700}
    assert tall == {}, {name: h for name, (h, _t) in seen.items()}
    save = seen["handoverDialog"][1]
    assert "Simpan serah terima (Ctrl+Enter)" in save and "Batal (Esc)" in save
    assert "Simpan (Enter)" in seen["settingsDialog"][1]
    untranslated = {n: texts for n, (_h, texts) in seen.items() if "Cancel" in texts}
    assert untranslated == {}  # Qt's own button texts are English: every dialog sets its own
