"""The guard of tests/conftest.py (tests/support/write_guard.py) notices a file written outside the test's temp dir."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs
from write_guard import strays, tree_files  # tests/support, on the path from conftest.py


def test_a_new_file_is_a_stray_and_tool_caches_are_not(tmp_path: Path) -> None:
    before = tree_files(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "notes.txt").write_text("x", encoding="utf-8")
    assert strays(before, tree_files(tmp_path)) == ["pkg", "pkg/notes.txt"]


def test_home_and_temp_files_point_into_the_test_dir(tmp_path: Path) -> None:
    assert Path(os.environ["HOME"]).is_dir()
    assert not any(Path(os.environ["HOME"]).iterdir())
    assert Path(tempfile.gettempdir()) == tmp_path / "tmp"
    assert Path(platformdirs.user_data_dir("bekasi-field")).is_relative_to(tmp_path)
