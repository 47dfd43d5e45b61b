"""What tests/conftest.py's guard compares: the files under a folder before and after a test."""

from __future__ import annotations

import os
from pathlib import Path

# Written by the tools, not by the code under test.
TOOL_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache",
               "bench-out", "build", "dist", ".coverage"}


def tree_files(root: Path) -> set[str]:
    """Every file and folder under `root` (relative), tool caches left out."""
    out: set[str] = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in TOOL_CACHES and not d.endswith(".egg-info")
                   and not d.startswith(".venv") and d != ".git"]
        rel = Path(folder).relative_to(root)
        out.update(str(rel / n) for n in (*dirs, *files) if not n.endswith(".pyc"))
    return out


def strays(before: set[str], after: set[str]) -> list[str]:
    return sorted(after - before)
