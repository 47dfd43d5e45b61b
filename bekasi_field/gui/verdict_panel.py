"""The verdict panel across the width of the desk: colour + icon + words (never colour alone),
who the household is, what they receive, and the next step in one line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from bekasi_field.i18n import tr
from bekasi_field.paths import resource_path

IDLE_COLOUR = "#37474F"
SAVED_COLOUR = "#0D5C2B"


def icon(name: str) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def rupiah(amount: Any) -> str:
    try:
        return "Rp" + f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


class VerdictPanel(QFrame):
    """Shows one verdict, or the idle prompt, or the saved confirmation."""

    DETAIL_KEYS = ("name", "nik", "rtrw", "kelurahan", "item")

    def __init__(self) -> None:
        super().__init__(objectName="verdictPanel")
        self.verdict: Any = None
        self.code_name = ""  # the VerdictCode value shown ("" when idle)
        self._saved: tuple[int, bool] | None = None
        self.setMinimumHeight(170)
        self.icon = QLabel(objectName="verdictIcon")
        self.icon.setFixedSize(QSize(96, 96))
        self.headline = QLabel(objectName="verdictHeadline")
        self.message = QLabel(objectName="verdictMessage", wordWrap=True)
        self.next_step = QLabel(objectName="verdictNext", wordWrap=True)
        self._detail_labels: dict[str, tuple[QLabel, QLabel]] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for i, key in enumerate(self.DETAIL_KEYS):
            cap, val = QLabel(objectName="verdictCaption"), QLabel(objectName="verdictValue")
            val.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(cap, i, 0)
            grid.addWidget(val, i, 1)
            self._detail_labels[key] = (cap, val)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.headline)
        text.addWidget(self.message)
        text.addWidget(self.next_step)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 12, 18, 12)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 3)
        row.addLayout(grid, 2)
        self.show_idle()

    def _paint(self, colour: str, icon_name: str) -> None:
        # Text is always white on a dark tone; each colour also has its own icon and words.
        self.setStyleSheet(f"#verdictPanel {{ background: {colour}; }}")
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(96, 96)))

    def _set_details(self, values: dict[str, str]) -> None:
        captions = {"name": "gui.verdict.name", "nik": "gui.verdict.nik",
                    "rtrw": "gui.verdict.rtrw", "kelurahan": "gui.verdict.kelurahan",
                    "item": "gui.verdict.item"}
        for key, (cap, val) in self._detail_labels.items():
            value = values.get(key, "")
            cap.setText(tr(captions[key]) if value else "")
            val.setText(value)

    def show_idle(self) -> None:
        self.verdict, self.code_name, self._saved = None, "", None
        self._paint(IDLE_COLOUR, "scan")
        self.headline.setText(tr("gui.verdict.idle"))
        self.message.setText(tr("gui.verdict.idle_hint"))
        self.next_step.setText("")
        self._set_details({})

    def show_verdict(self, verdict: Any) -> None:
        self.verdict, self._saved = verdict, None
        self.code_name = str(verdict.code.value)
        style = verdict.style
        self._paint(style.colour, style.icon)
        self.headline.setText(style.headline)
        self.message.setText(verdict.message)
        self.next_step.setText("➜ " + style.next_step)
        self._set_details(self.details_of(verdict))

    @staticmethod
    def details_of(verdict: Any) -> dict[str, str]:
        d = verdict.details or {}
        rt, rw = d.get("rt") or "", d.get("rw") or ""
        item = str(d.get("item") or "")
        if d.get("amount"):
            item = f"{item} ({rupiah(d['amount'])})" if item else rupiah(d["amount"])
        return {
            "name": str(d.get("recipient_name") or ""),
            "nik": str(d.get("nik_masked") or ""),
            "rtrw": f"{rt}/{rw}" if (rt or rw) else "",
            "kelurahan": str(d.get("kelurahan") or ""),
            "item": item,
        }

    def show_saved(self, *, seq: int, proxy: bool) -> None:
        """'Tersimpan' with the entry number: the hand-over is durably in the journal."""
        self._saved = (seq, proxy)
        self.code_name = "SAVED"
        self._paint(SAVED_COLOUR, "save")
        self.headline.setText(tr("gui.verdict.saved", seq=seq))
        self.next_step.setText("➜ " + tr("gui.verdict.saved_next"))

    def retranslate(self) -> None:
        if self._saved is not None:
            seq, proxy = self._saved
            verdict = self.verdict
            if verdict is not None:
                self.show_verdict(verdict)
            self.show_saved(seq=seq, proxy=proxy)
        elif self.verdict is not None:
            self.show_verdict(self.verdict)
        else:
            self.show_idle()
