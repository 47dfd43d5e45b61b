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
    tls: bool = False  # TLS on a loopback address too (elsewhere it always is: hub/tls.py)
    cert: str | None = None  # given certificate and key files instead of the hub's own
    key: str | None = None

    @property
    def serves_tls(self) -> bool:
        from bekasi_field.hub.tls import serves_tls
        return serves_tls(self.host, forced=self.tls, given=bool(self.cert))

    def url(self, host: str | None = None) -> str:
        scheme = "https" if self.serves_tls else "http"
        return f"{scheme}://{host or self.host}:{self.port}"

    @classmethod
    def from_env(cls, *, home: Path, db: str | None = None, host: str | None = None,
                 port: int | None = None) -> HubSettings:
        return cls(
            db=db or os.environ.get("BEKASI_HUB_DB") or str(home / "hub.db"),
            host=host or os.environ.get("BEKASI_HUB_HOST") or "127.0.0.1",
            port=port or int(os.environ.get("BEKASI_HUB_PORT") or DEFAULT_PORT),
        )
