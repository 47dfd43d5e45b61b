"""Raw connections to a test home's encrypted database (its key from the test's key store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bekasi_field.services.site import Site
from bekasi_field.store import opener


def connect_home(home: Path, *, autocommit: bool = False, timeout: float = 5.0) -> Any:
    site = Site.open(Path(home), create=False, full_check=False)
    try:
        return opener.connect(site.db.file, autocommit=autocommit, timeout=timeout)
    finally:
        site.close()
