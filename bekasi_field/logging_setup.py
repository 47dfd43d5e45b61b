"""A rotating log file in the data directory; never NIKs or names (callers log ids and counts).

Callers are expected to log ids, counts and masked values only. The RedactFilter on our handlers
is the safety net for what slips through anyway: 16-digit numbers (NIK, No. KK, KKS card), the
`[parameters: ...]` block SQLAlchemy puts in its exception text (it holds whole roster rows), and
values of name-like keys in key=value or dict text. It also runs over tracebacks.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

LOG_FILE = "bekasi-field.log"
REDACTED = "[disamarkan]"

# 16 digits, alone or in the groups people type (3275 0112 3456 0001, 3275.0112...), not part of
# a longer digit run (hashes and timestamps stay readable; hex hashes mix letters in anyway).
_SIXTEEN = re.compile(r"(?<![0-9])(?:[0-9][ .\-]?){15}[0-9](?![0-9])")
_SQL_PARAMS = re.compile(r"\[parameters: .*?\]\s*(?=\n|\(Background|$)", re.DOTALL)
_NAME_VALUE = re.compile(
    r"""(?P<key>['"]?\b\w*(?:name|nama)\w*['"]?\s*[:=]\s*)"""
    r"""(?P<value>'[^']*'|"[^"]*"|[^\s,;)}\]]+)""",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` without 16-digit numbers, SQL parameter dumps or values of name-like keys."""
    if not text:
        return text
    text = _SQL_PARAMS.sub(f"[parameters: {REDACTED}]", text)
    text = _SIXTEEN.sub(REDACTED, text)
    return _NAME_VALUE.sub(lambda m: m.group("key") + REDACTED, text)


class RedactFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) through redact(); drops nothing."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a bad format must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log readable by its owner only (0600 on POSIX, also after a rotation, which
    renames the file and keeps its mode)."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name != "nt":
            os.fchmod(fd, 0o600)  # a log of an earlier release was 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    logs_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = logs_dir / LOG_FILE
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_bekasi_field", False):
            root.removeHandler(h)
            h.close()
    handler = PrivateRotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler._bekasi_field = True  # type: ignore[attr-defined]
    handler.addFilter(RedactFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path


def current_log_path() -> Path | None:
    """The file our handler writes to, for error messages that point the user at it."""
    for h in logging.getLogger().handlers:
        if getattr(h, "_bekasi_field", False):
            return Path(h.baseFilename)  # type: ignore[attr-defined]
    return None
