"""Fixtures for tests/services. H2's helpers live in helpers_h2.py next to this file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import helpers_h2


@pytest.fixture
def world(site):
    """A small site with events, households of every verdict kind, officers and an issuer key."""
    return helpers_h2.build_world(site)
