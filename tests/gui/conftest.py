"""Fixtures for the desk tests: a small demo site and a window factory (offscreen Qt)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bekasi_field.i18n import set_language
from bekasi_field.services.demo import DemoSite, build_demo
from bekasi_field.services.site import Site


@pytest.fixture(autouse=True)
def _bahasa() -> Iterator[None]:
    """Every desk test starts and ends in Bahasa Indonesia (a test may switch to English)."""
    set_language("id")
    yield
    set_language("id")


@pytest.fixture
def demo(home: Path) -> DemoSite:
    return build_demo(home=home, households=30)


@pytest.fixture
def desk_site(demo: DemoSite) -> Iterator[Site]:
    s = Site.open(demo.home)
    yield s
    s.close()


@pytest.fixture
def open_window(qtbot, desk_site: Site):
    """make(camera=None, idle=600) -> a shown MainWindow on the demo site."""
    from bekasi_field.app import build_context
    from bekasi_field.gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(*, camera: str | None = None, idle: float = 600.0, site: Site | None = None
             ) -> MainWindow:
        ctx = build_context(site or desk_site, camera=camera, idle_lock_seconds=idle)
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()
