"""python-escpos, imported the way the desk needs it.

At import python-escpos makes a temporary directory for a pickle of its printer profiles (and
leaves it behind); here the pickle and that directory go to the app's cache directory instead of
the system's temp folder, so nothing of ours is scattered there. Every use of escpos goes through
escpos_printer().
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from types import ModuleType

import platformdirs

from bekasi_field.paths import APP_NAME

_lock = threading.Lock()


def escpos_printer() -> ModuleType:
    """The `escpos.printer` module (Dummy, File, Network, Serial, Usb)."""
    with _lock:
        import sys
        if "escpos.capabilities" not in sys.modules:
            cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "escpos"
            cache.mkdir(parents=True, exist_ok=True)
            os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
            saved, tempfile.tempdir = tempfile.tempdir, str(cache)
            try:
                import escpos.capabilities  # its one-time set-up runs now
            finally:
                tempfile.tempdir = saved
        import escpos.printer
    module: ModuleType = escpos.printer
    return module
