"""A rotating log file in the data directory; never NIKs or names (callers log ids and counts)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "bekasi-field.log"


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / LOG_FILE
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_bekasi_field", False):
            root.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler._bekasi_field = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
