"""Console fixtures: the hub fixtures of tests/hub, plus this folder's helpers on the path."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


import helpers_console
import pytest


@pytest.fixture(autouse=True)
def _close_clients():  # type: ignore[no-untyped-def]
    yield
    while helpers_console.OPEN_CLIENTS:
        helpers_console.OPEN_CLIENTS.pop().close()
