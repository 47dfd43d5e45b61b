"""Security tests: the same real hubs as tests/hub (uvicorn on 127.0.0.1, SQLite and, when
BEKASI_TEST_PG_URL is set, PostgreSQL), and an enrolled desk that syncs with it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HUB_TESTS = Path(__file__).resolve().parent.parent / "hub"
sys.path.insert(0, str(_HUB_TESTS))

import helpers_hub

from bekasi_field.services import sync_service
from bekasi_field.services.site import Site

_spec = importlib.util.spec_from_file_location("hub_fixtures", _HUB_TESTS / "conftest.py")
assert _spec and _spec.loader
_hub_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_hub_fixtures)
hub_db_url = _hub_fixtures.hub_db_url
hub_store = _hub_fixtures.hub_store
hub = _hub_fixtures.hub


@pytest.fixture
def desk(hub: helpers_hub.ThreadHub, tmp_path: Path) -> Iterator[Site]:
    """A Kota Baru desk enrolled at the hub, with the seeded registry pulled."""
    helpers_hub.seed_registry(hub.store, households=6)
    site = Site.open(tmp_path / "desk")
    sync_service.sync_now(site=site, hub_url=hub.url,
                          enrol_code=helpers_hub.enrol_code(hub.store))
    yield site
    site.close()
