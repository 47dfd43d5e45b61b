"""Fixtures for the report tests: a seeded site (see journal_fixture.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bekasi_field.services.site import Site


def _load_fixture_module():
    """journal_fixture.py by path (importlib mode cannot import between test folders)."""
    name = "bkf_journal_fixture"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("journal_fixture.py")
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


journal_fixture = _load_fixture_module()


@pytest.fixture
def jf():
    """The journal_fixture module (constants and helpers)."""
    return journal_fixture


@pytest.fixture
def seeded(site: Site):
    """(site, scenario): 20 households, two days of hand-overs, a void, a proxy, a duplicate."""
    return site, journal_fixture.seed_scenario(site.db)
