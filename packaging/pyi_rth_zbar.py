"""PyInstaller runtime hook: let pyzbar find the libzbar bundled next to the executable.

pyzbar looks libzbar up with ctypes.util.find_library('zbar'), which searches the system
(ldconfig) and never the bundle; on Linux build.spec copies libzbar.so.0 into the bundle's
top folder, and this hook answers find_library('zbar') with that copy. On Windows pyzbar
loads the DLLs from its own package folder, which build.spec bundles as they are.
"""

import ctypes.util
import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_system_find_library = ctypes.util.find_library


def _find_library(name):
    if name == "zbar":
        for candidate in ("libzbar.so.0", "libzbar.0.dylib", "libzbar.dylib"):
            path = os.path.join(_bundle, candidate)
            if os.path.exists(path):
                return path
    return _system_find_library(name)


ctypes.util.find_library = _find_library
