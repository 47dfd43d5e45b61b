"""The desk's state object takes Qt's own events (a child, a property, deleteLater) like any
QObject: none of its attributes may hide a QObject method that Qt calls."""

from __future__ import annotations

import os
import subprocess
import sys

# In a child process: a state that hid QObject.event() took the whole interpreter down.
_PROBE = """
from PySide6.QtCore import QCoreApplication, QObject
app = QCoreApplication([])
from bekasi_field.gui.desk_state import DeskState
state = DeskState()
state.setProperty("probe", 7)  # a DynamicPropertyChange event
child = QObject(state)  # a ChildAdded event
state.set_event(None)
print(state.property("probe"), child.parent() is state, state.chosen_event)
"""


def test_the_desk_state_takes_qt_events() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          check=False,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["7", "True", "None"]
