"""The window's actions: each has a key, a menu entry and a text; one table says which.

To add an action: one `DeskAction` line in ACTIONS (name, text key, shortcut, menu, whether
it needs a supervisor) and its handler under the same name in MainWindow._handlers().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from bekasi_field.i18n import tr


@dataclass(frozen=True)
class DeskAction:
    name: str
    text_key: str
    shortcut: str
    menu: str = "app"  # "desk" (the scan screen's work), "reports", "app"
    supervisor: bool = False
    always: bool = False  # enabled on every page (language, help, quit)


ACTIONS: list[DeskAction] = [
    DeskAction("focus_code", "gui.act.focus_code", "F2", "desk"),
    DeskAction("focus_candidates", "gui.act.focus_candidates", "F3", "desk"),
    DeskAction("handover", "gui.act.handover", "F5", "desk"),
    DeskAction("proxy", "gui.act.proxy", "F6", "desk"),
    DeskAction("void", "gui.act.void", "F7", "desk"),
    DeskAction("override", "gui.act.override", "F8", "desk"),
    DeskAction("sync", "gui.act.sync", "F9"),
    DeskAction("camera", "gui.act.camera", "F11", "desk"),
    DeskAction("today", "gui.act.today", "Ctrl+1", "desk"),
    DeskAction("remaining", "gui.act.remaining", "Ctrl+2", "desk"),
    DeskAction("dashboard", "gui.act.dashboard", "Ctrl+3", "desk", supervisor=True),
    DeskAction("change_event", "gui.act.change_event", "Ctrl+E"),
    DeskAction("officers", "gui.act.officers", "Ctrl+O", supervisor=True),
    DeskAction("settings", "gui.act.settings", "Ctrl+,", supervisor=True),
    DeskAction("site_hub", "gui.act.site_hub", "Ctrl+Shift+H", supervisor=True),
    DeskAction("language", "gui.act.language", "Ctrl+B", always=True),
    DeskAction("lock", "gui.act.lock", "Ctrl+L"),
    DeskAction("logout", "gui.act.logout", "Ctrl+Shift+L"),
    DeskAction("help", "gui.act.help", "F1", always=True),
    DeskAction("quit", "gui.act.quit", "Ctrl+Q", always=True),
]

MENUS = {"desk": "gui.menu.desk", "reports": "desk.menu.reports", "app": "gui.menu.app"}


class ActionSet:
    """The QActions of a window, built from ACTIONS, in the window's menu bar."""

    def __init__(self, window: QMainWindow, handlers: dict[str, Callable[[], object]],
                 actions: list[DeskAction] | None = None) -> None:
        self.window = window
        self.table = list(actions or ACTIONS)
        self.by_name: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        for key in MENUS:
            self.menus[key] = window.menuBar().addMenu("")
        for spec in self.table:
            self._add(spec, handlers[spec.name])

    def _add(self, spec: DeskAction, handler: Callable[[], object]) -> None:
        action = QAction(self.window)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(lambda _checked=False, h=handler: h())
        self.by_name[spec.name] = action
        self.menus[spec.menu].addAction(action)

    def add(self, spec: DeskAction, handler: Callable[[], object]) -> QAction:
        """An action another part hooks in (after the window is built)."""
        self.table.append(spec)
        self._add(spec, handler)
        self.by_name[spec.name].setText(tr(spec.text_key))
        return self.by_name[spec.name]

    def enable_for(self, *, on_desk: bool, supervisor: bool) -> None:
        for spec in self.table:
            if spec.always:
                continue
            self.by_name[spec.name].setEnabled(on_desk and (supervisor or not spec.supervisor))

    def retranslate(self) -> None:
        for spec in self.table:
            self.by_name[spec.name].setText(tr(spec.text_key))
        for key, menu in self.menus.items():
            menu.setTitle(tr(MENUS[key]))
            menu.menuAction().setVisible(not menu.isEmpty())

    def help_lines(self) -> list[str]:
        return [f"{self.by_name[s.name].shortcut().toString(QKeySequence.SequenceFormat.NativeText)}"
                f"\t{tr(s.text_key)}" for s in self.table]
