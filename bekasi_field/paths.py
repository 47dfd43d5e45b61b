"""Where the app keeps its data and finds its resources.

Resources (icons, sounds, style, data, the self-test sample) are package data under
bekasi_field/resources/, found through importlib.resources: the same call works from a source
checkout, an installed wheel and a PyInstaller build (which unpacks package data as files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
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


def resources_root() -> Traversable:
    """The package's resources/ folder."""
    return files("bekasi_field") / "resources"


def resource_path(*parts: str) -> Path:
    """A file under resources/ as a file-system path (Qt, OpenCV and sound players want names).

    Every way we ship (checkout, wheel, PyInstaller folder) keeps package data as plain files;
    an installation that does not (a zipped package) is refused with the reason.
    """
    root = resources_root()
    if isinstance(root, Path):
        return root.joinpath(*parts)
    raise RuntimeError(f"bekasi-field must be installed as files, not zipped ({root})")


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
    def key_file(self) -> Path:
        """The wrapped data key (store/datakey.py); the key store holds the other wrap."""
        return self.root / "data-key.json"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> HomeLayout:
        for d in (self.root, self.evidence_dir, self.keys_dir, self.logs_dir):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self
