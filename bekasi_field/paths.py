"""Where the app keeps its data and finds its resources (also inside a PyInstaller build)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "bekasi-field"
HOME_ENV = "BEKASI_FIELD_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--home DIR, else $BEKASI_FIELD_HOME, else the user data dir."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resource_path(*parts: str) -> Path:
    """A file under resources/, from a source checkout or a frozen build (sys._MEIPASS)."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)


@dataclass(frozen=True)
class HomeLayout:
    """The files of one site's data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "bekasi-field.db"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> "HomeLayout":
        for d in (self.root, self.evidence_dir, self.keys_dir, self.logs_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
