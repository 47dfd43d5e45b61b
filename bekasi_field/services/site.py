"""A site: one data directory with its database; what the CLI and the GUI both open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

from bekasi_field.paths import HomeLayout
from bekasi_field.store.db import Database, open_database
from bekasi_field.store.db import integrity_problems as _file_problems


@dataclass
class Site:
    layout: HomeLayout
    db: Database

    @classmethod
    def open(cls, home: Path, *, create: bool = True, full_check: bool = True) -> Self:
        layout = HomeLayout(Path(home))
        if create:
            layout.ensure()
        db = open_database(layout.database, create=create, full_check=full_check)
        return cls(layout=layout, db=db)

    @property
    def device_id(self) -> str:
        return self.db.device_id

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def integrity_problems(site: Site) -> list[str]:
    """The whole-file integrity check of the site's database ([] when sound; reads it all)."""
    return _file_problems(site.db.path)
