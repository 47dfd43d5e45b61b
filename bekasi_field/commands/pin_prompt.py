"""The acting officer's PIN on the command line: --pin, else asked without echo."""

from __future__ import annotations

import getpass
import sys

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr


def pin_or_prompt(pin: str | None, *, officer_id: str, flag: str = "--pin") -> str:
    """The PIN given, else read from the terminal (a script without a terminal must pass it)."""
    if pin:
        return pin
    if not sys.stdin.isatty():
        raise BekasiError(tr("security.pin_needed", officer=officer_id, flag=flag))
    entered = getpass.getpass(tr("security.pin_prompt", officer=officer_id))
    if not entered:
        raise BekasiError(tr("security.pin_needed", officer=officer_id, flag=flag))
    return entered
