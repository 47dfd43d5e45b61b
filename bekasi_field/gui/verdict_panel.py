"""The verdict panel across the width of the desk: colour + icon + words (never colour alone),
who the household is, what they receive, and the next step in one line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from bekasi_field.i18n import tr
from bekasi_field.paths import resource_path

if TYPE_CHECKING:
    from bekasi_field.domain.verdicts import Verdict
    from bekasi_field.gui.desk_state import DeskState

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


def shown_code(code: str) -> str:
    """A code as the panel shows it: digits in groups of four, a long text shortened."""
    code = code.strip()
    digits = code.replace(" ", "")
    if digits.isdigit() and len(digits) <= 24:
        return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return code if len(code) <= 24 else f"{code[:12]}…{code[-8:]}"


class VerdictPanel(QFrame):
    """Draws the desk's state: the idle prompt, a verdict, or the saved confirmation."""

    DETAIL_KEYS = ("name", "card_name", "nik", "rtrw", "kelurahan", "item", "code")

    def __init__(self, state: DeskState) -> None:
        super().__init__()
        self.setObjectName("verdictPanel")
        self.state = state
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
        state.changed.connect(self.redraw)
        self.redraw()

    def _paint(self, colour: str, icon_name: str) -> None:
        # Text is always white on a dark tone; each colour also has its own icon and words.
        self.setStyleSheet(f"#verdictPanel {{ background: {colour}; }}")
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(96, 96)))

    def _set_details(self, values: dict[str, str]) -> None:
        captions = {"name": "gui.verdict.name", "card_name": "ktp.card_name_caption",
                    "nik": "gui.verdict.nik",
                    "rtrw": "gui.verdict.rtrw", "kelurahan": "gui.verdict.kelurahan",
                    "item": "gui.verdict.item", "code": "desk.verdict.code"}
        if values.get("matched") and not values.get("card_name"):
            # The member a name search found shares the KTP name's row (never both at once):
            # the panel keeps its height on a 768 px screen.
            values = {**values, "card_name": values["matched"]}
            captions["card_name"] = "desk.verdict.matched"
        for key, (cap, val) in self._detail_labels.items():
            value = values.get(key, "")
            cap.setText(tr(captions[key]) if value else "")
            val.setText(value)

    def redraw(self) -> None:
        verdict, saved = self.state.verdict, self.state.saved
        if verdict is None:
            self._paint(IDLE_COLOUR, "scan")
            self.headline.setText(tr("gui.verdict.idle"))
            self.message.setText(tr("gui.verdict.idle_hint"))
            self.next_step.setText("")
            self._set_details({})
            return
        style = verdict.style
        values = self.details_of(verdict)
        if not values["name"] and saved is None:
            # No person to name: the code itself, so two unknown codes in a row look different
            # and a typo can be seen against the card.
            values["code"] = shown_code(self.state.code)
        self._set_details(values)
        if saved is not None:
            # 'Tersimpan' with the entry number: the hand-over is durably in the journal.
            self._paint(SAVED_COLOUR, "save")
            self.headline.setText(tr("gui.verdict.saved", seq=saved.seq))
            details = self.details_of(verdict)  # what was handed over, not "berhak menerima"
            self.message.setText(tr("desk.saved.message", name=details["name"] or "—",
                                    item=details["item"] or "—"))
            self.next_step.setText("➜ " + tr("gui.verdict.saved_next"))
            return
        self._paint(style.colour, style.icon)
        self.headline.setText(style.headline)
        self.message.setText(verdict.message)
        self.next_step.setText("➜ " + verdict.next_step)

    @staticmethod
    def details_of(verdict: Verdict) -> dict[str, str]:
        d = verdict.details or {}
        rt, rw = d.get("rt") or "", d.get("rw") or ""
        item = str(d.get("item") or "")
        if d.get("amount"):
            item = f"{item} ({rupiah(d['amount'])})" if item else rupiah(d["amount"])
        return {
            "name": str(d.get("recipient_name") or ""),
            # Opened from a name search for another member: who was looked for, and how they
            # belong to the recipient's household.
            "matched": str(d.get("matched") or ""),
            # A KTP read by the camera: the name printed on it, for the officer to compare.
            "card_name": str(d.get("card_name") or ""),
            "nik": str(d.get("nik_masked") or ""),
            "rtrw": f"{rt}/{rw}" if (rt or rw) else "",
            "kelurahan": str(d.get("kelurahan") or ""),
            "item": item,
        }

    def retranslate(self) -> None:
        self.redraw()
