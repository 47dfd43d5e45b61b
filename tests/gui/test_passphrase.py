"""The site recovery passphrase at the desk: set by the first supervisor (KDF off the GUI
thread), and asked for when the data key is not in this account's key store."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_keyring
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.gui.passphrase_dialog import PassphraseDialog
from bekasi_field.services.site import Site
from bekasi_field.store import datakey

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
PASSPHRASE = "kota baru kranji 2026"


def test_the_first_supervisor_sets_the_recovery_passphrase(qtbot, open_window,
                                                          tmp_path: Path) -> None:
    empty = Site.open(tmp_path / "fresh")
    try:
        w = open_window(site=empty)
        page = w.first_run
        QTest.keyClicks(page.site, "Kota Baru")
        QTest.keyClicks(page.officer_id, "SPV09")
        QTest.keyClicks(page.name, "Ibu Kepala Seksi")
        QTest.keyClicks(page.pin, "432100")
        QTest.keyClicks(page.pin2, "432100")
        with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
            QTest.keyClick(page.pin2, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: w.findChild(PassphraseDialog) is not None
                        and w.findChild(PassphraseDialog).isVisible(), timeout=5_000)
        dialog = w.findChild(PassphraseDialog)
        QTest.keyClicks(dialog.first, "pendek")
        QTest.keyClicks(dialog.again, "pendek")
        dialog._accept()
        assert "minimal" in dialog.error.text() and dialog.isVisible()
        dialog.first.clear()
        dialog.again.clear()
        QTest.keyClicks(dialog.first, PASSPHRASE)
        QTest.keyClicks(dialog.again, PASSPHRASE)
        dialog._accept()
        qtbot.waitUntil(lambda: datakey.has_passphrase(empty.layout.key_file), timeout=20_000)
        qtbot.waitUntil(lambda: "disimpan" in w.statusBar().currentMessage(), timeout=5_000)
        w.close()
    finally:
        empty.close()
    # The passphrase now opens the home on an account whose key store does not hold it.
    copy_env = tmp_path / "other-account.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(test_keyring.ENV, str(copy_env))
        datakey.forget_cached()
        with pytest.raises(datakey.PassphraseNeeded):
            Site.open(tmp_path / "fresh", create=False)
        Site.open(tmp_path / "fresh", create=False, passphrase=PASSPHRASE).close()
    datakey.forget_cached()


def test_a_desk_without_its_key_in_the_key_store_asks_and_opens(
        qtbot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from bekasi_field import app as desk_app
    from bekasi_field.gui import passphrase_dialog

    Site.open(home, passphrase=PASSPHRASE).close()
    monkeypatch.setenv(test_keyring.ENV, str(tmp_path / "no-key-here.json"))
    datakey.forget_cached()
    asked: list[tuple[str, bool]] = []
    answers = iter(["salah sekali frasa ini", PASSPHRASE])
    gui_thread = threading.current_thread()
    kdf_threads: list[threading.Thread] = []
    real_unwrap = datakey._unwrap

    def unwrap(*args: object, **kw: object) -> bytes:
        kdf_threads.append(threading.current_thread())
        return real_unwrap(*args, **kw)  # type: ignore[arg-type]

    def ask(_parent: object, *, message: str, new: bool) -> str:
        asked.append((message, new))
        return next(answers)

    monkeypatch.setattr(datakey, "_unwrap", unwrap)
    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    window, site = desk_app.start_desktop(home=home, camera="none", sound=False)
    try:
        assert window.isVisible()
        assert "frasa sandi pemulihan" in asked[0][0] and asked[0][1] is False
        assert "salah" in asked[1][0]  # the wrong one said so, and it asked again
        assert kdf_threads and all(t is not gui_thread for t in kdf_threads)
    finally:
        window.close()
        site.close()


def _first_supervisor(qtbot, w) -> PassphraseDialog:
    page = w.first_run
    QTest.keyClicks(page.site, "Kota Baru")
    QTest.keyClicks(page.officer_id, "SPV09")
    QTest.keyClicks(page.name, "Ibu Kepala Seksi")
    QTest.keyClicks(page.pin, "432100")
    QTest.keyClicks(page.pin2, "432100")
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
        QTest.keyClick(page.pin2, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.passphrase_dialog is not None
                    and w.passphrase_dialog.isVisible(), timeout=5_000)
    return w.passphrase_dialog


def test_the_first_runs_recovery_passphrase_cannot_be_dismissed(qtbot, open_window,
                                                               tmp_path: Path) -> None:
    """On a machine with a key store: no Cancel, Escape and the close button do nothing, and a
    desk closed before it is set asks the next supervisor who logs in."""
    from helpers_desk import login
    from PySide6.QtWidgets import QDialogButtonBox

    empty = Site.open(tmp_path / "fresh")
    try:
        w = open_window(site=empty)
        dialog = _first_supervisor(qtbot, w)
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel) is None
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and "harus ditetapkan sekarang" in dialog.error.text()
        dialog.close()
        dialog.reject()
        assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
        assert not datakey.has_passphrase(empty.layout.key_file)
        qtbot.waitUntil(lambda: w.ops.pending == 0, timeout=10_000)  # the setting written
        w.close()  # the laptop shut before the passphrase was set

        again = open_window(site=empty)
        qtbot.waitUntil(lambda: again.login.isVisible(), timeout=10_000)
        login(qtbot, again, ("SPV09", "432100"))
        qtbot.waitUntil(lambda: again.passphrase_dialog is not None
                        and again.passphrase_dialog.isVisible(), timeout=5_000)
        forced = again.passphrase_dialog
        QTest.keyClicks(forced.first, PASSPHRASE)
        QTest.keyClicks(forced.again, PASSPHRASE)
        QTest.keyClick(forced.again, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: datakey.has_passphrase(empty.layout.key_file), timeout=20_000)
        qtbot.waitUntil(lambda: not forced.isVisible(), timeout=5_000)
        qtbot.waitUntil(lambda: again.settings.get("recovery_pending") == "", timeout=5_000)
    finally:
        empty.close()
