"""Fixtures for tests/services. The small test site is built by small_site.py next to this file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import small_site


@pytest.fixture
def world(site):
    """A small site with events, households of every verdict kind, officers and an issuer key."""
    return small_site.build_world(site)
