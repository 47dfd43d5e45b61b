"""Hub settings: from command-line arguments, else environment variables, else defaults."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

DEFAULT_PORT = 8470


class HubSettings(BaseModel):
    db: str  # SQLAlchemy URL or a SQLite file path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    enrol_code_hours: float = 24.0
    page_limit: int = 5000  # journal entries per pull page

    @classmethod
    def from_env(cls, *, home: Path, db: str | None = None, host: str | None = None,
                 port: int | None = None) -> HubSettings:
        return cls(
            db=db or os.environ.get("BEKASI_HUB_DB") or str(home / "hub.db"),
            host=host or os.environ.get("BEKASI_HUB_HOST") or "127.0.0.1",
            port=port or int(os.environ.get("BEKASI_HUB_PORT") or DEFAULT_PORT),
        )
