"""What the desktop app is given by the composition root (app.py): the site, its settings and
the other parts of the app as plain callables. A part that is missing is None and the window
works without it (no camera, no hub, no dashboard are all normal states)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not at run time: the window shows before SQLAlchemy is imported
    from bekasi_field.services.site import Site

# (spec, on_hit(text), on_frame(ndarray), on_state(str)) -> an object with start() and stop()
ScanLoopFactory = Callable[..., Any]


@dataclass
class DeskConfig:
    idle_lock_seconds: float = 300.0
    camera: str | None = None  # webcam index, video or image file; None = no camera
    hub_url: str | None = None
    sound: bool = True
    preview_width: int = 480


@dataclass
class DeskParts:
    """The other parts, resolved in app.py (None where a part is absent)."""

    make_verdict_engine: Callable[[Any], Any] | None = None  # (db) -> VerdictEngine
    record_handover: Callable[..., Any] | None = None
    void_entry: Callable[..., Any] | None = None
    proxy_info: Callable[..., Any] | None = None  # journal.ProxyInfo
    identity_check: Callable[..., Any] | None = None  # journal.IdentityCheck
    list_events: Callable[[Any], list[Any]] | None = None  # (engine) -> [EventInfo]
    sync_now: Callable[..., Any] | None = None
    pending_count: Callable[[Any], int] | None = None  # (db) -> int
    sync_status: Callable[[Any], Any] | None = None  # (db) -> SyncStatus (pending, last sync)
    make_scan_loop: ScanLoopFactory | None = None
    make_wedge_parser: Callable[[], Any] | None = None
    make_dashboard: Callable[..., Any] | None = None  # (site, event_id, parent) -> QWidget
    warm_up: Callable[[], None] | None = None  # imports the heavy parts (run on a worker)


@dataclass
class DeskContext:
    site: Site
    config: DeskConfig = field(default_factory=DeskConfig)
    parts: DeskParts = field(default_factory=DeskParts)
