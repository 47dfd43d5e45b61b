"""What the window remembers of the site between database reads: its settings, its name, its
officers. Read on a worker at start (services.desk_services.DeskStartup) and kept here, so the
GUI thread never reads the database; changes are written through the ops worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bekasi_field.gui.context import DeskContext
    from bekasi_field.services.desk_services import DeskStartup
    from bekasi_field.services.officers import OfficerInfo


class DeskSettings:
    def __init__(self, ctx: DeskContext, *, write: Callable[[dict[str, str]], None]) -> None:
        self._ctx = ctx
        self._write = write
        self.apply(ctx.startup)

    def apply(self, startup: DeskStartup) -> None:
        self.values = dict(startup.settings)
        self.has_officers = startup.has_officers
        self.site_name = startup.site_name
        self.officers: list[OfficerInfo] = list(startup.officers)
        self.hub_url_meta = startup.hub_url_meta
        self.desk_name = startup.desk_name

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, **values: str) -> None:
        """Remember now, write on the worker."""
        self.values.update(values)
        self._write(dict(values))

    def hub_url(self) -> str:
        return (self._ctx.config.hub_url or self.values.get("hub_url") or self.hub_url_meta
                or "")

    def active_officers(self) -> list[OfficerInfo]:
        return [o for o in self.officers if o.active]

    def supervisors(self) -> list[OfficerInfo]:
        return [o for o in self.officers if o.active and o.is_supervisor]

    def remember_officer(self, info: OfficerInfo) -> None:
        self.officers = sorted([o for o in self.officers if o.id != info.id] + [info],
                               key=lambda o: o.id)
        self.has_officers = True
