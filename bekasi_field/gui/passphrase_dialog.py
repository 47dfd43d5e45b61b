"""The site recovery passphrase, asked when the data key is not in this account's key store
(a machine without one, or a home copied from another account), or set at a first run there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services.data_key import MIN_PASSPHRASE, DataKey, has_passphrase, set_passphrase

if TYPE_CHECKING:
    from bekasi_field.gui.ops import Ops


class PassphraseDialog(QDialog):
    """`forced`: no Cancel, and Escape or closing the window does not dismiss it (the first
    run's recovery passphrase on a machine with a key store)."""

    def __init__(self, parent: QWidget | None, *, message: str, new: bool,
                 forced: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("bekasi-field")
        self.new, self.forced = new, forced
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(message, wordWrap=True))
        self.first = QLineEdit(objectName="passphrase", echoMode=QLineEdit.EchoMode.Password)
        self.first.setPlaceholderText(tr("datakey.prompt_new", n=MIN_PASSPHRASE) if new
                                      else tr("datakey.prompt"))
        lay.addWidget(self.first)
        self.again = QLineEdit(objectName="passphraseAgain",
                               echoMode=QLineEdit.EchoMode.Password)
        self.again.setPlaceholderText(tr("datakey.prompt_again"))
        self.again.setVisible(new)
        lay.addWidget(self.again)
        self.error = QLabel("", objectName="passphraseError", wordWrap=True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok if forced
            else QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = buttons
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if forced:
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.resize(480, 200)

    def reject(self) -> None:
        if self.forced:  # Escape, the window's close button, a stray reject()
            self.error.setText(tr("datakey.must_set_now"))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.forced and self.result() != QDialog.DialogCode.Accepted:
            self.error.setText(tr("datakey.must_set_now"))
            event.ignore()
            return
        super().closeEvent(event)

    def _accept(self) -> None:
        text = self.first.text()
        if self.new and len(text.strip()) < MIN_PASSPHRASE:
            self.error.setText(tr("datakey.passphrase_short", n=MIN_PASSPHRASE))
            return
        if self.new and text != self.again.text():
            self.error.setText(tr("datakey.mismatch"))
            return
        if not text:
            return
        self.accept()

    def passphrase(self) -> str:
        return self.first.text()


def ask_passphrase(parent: QWidget | None, *, message: str, new: bool) -> str | None:
    """The passphrase typed, or None when cancelled. Nothing here runs the KDF."""
    dialog = PassphraseDialog(parent, message=message, new=new)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.passphrase()


def require_recovery_passphrase(parent: QWidget, *, key_file: Path, data_key: DataKey,
                                ops: Ops, done: Callable[[bool, str], None]
                                ) -> PassphraseDialog | None:
    """At the first run, the new supervisor sets the site recovery passphrase (the data key is
    in the key store already; the passphrase is what opens a copied home or a new laptop). It
    cannot be dismissed: no Cancel, Escape and the close button do nothing, and a failed save
    opens it again. Not blocking: the dialog is window-modal, the KDF runs on `ops`, and
    `done(saved, message)` follows. None when a passphrase is set already."""
    if has_passphrase(key_file):
        return None
    dialog = PassphraseDialog(parent, message=tr("datakey.set_at_first_run"), new=True,
                              forced=True)

    def failed(error: BekasiError) -> None:
        done(False, error.message)
        dialog.error.setText(error.message)
        dialog.open()  # again: the first run is not over until it is saved

    def accepted() -> None:
        chosen = dialog.passphrase()
        ops.run(lambda: set_passphrase(key_file, data_key, chosen),
                on_success=lambda _r: done(True, tr("datakey.passphrase_set")),
                on_error=failed)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
