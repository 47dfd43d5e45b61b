"""What the desktop app is given by the composition root (app.py): the site, its settings, the
typed services object (services.desk_services.DeskServices) and what was read at start-up.
No camera, no hub, no dashboard are all normal states: the window asks the services object
what this build has (`camera_available`, `sync_available`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bekasi_field.services.desk_services import DeskServices, DeskStartup
    from bekasi_field.services.site import Site


@dataclass
class DeskConfig:
    idle_lock_seconds: float = 300.0
    camera: str | None = None  # webcam index, video or image file; None = no camera
    hub_url: str | None = None
    sound: bool = True
    preview_width: int = 480
    stale_verdict_seconds: float = 120.0  # an older verdict is checked again before saving


@dataclass
class DeskContext:
    site: Site
    services: DeskServices
    startup: DeskStartup  # read on a worker before the window is built
    config: DeskConfig = field(default_factory=DeskConfig)
