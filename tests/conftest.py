"""Shared fixtures: every test gets its own home; nothing is written outside the temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bekasi_field.cli import main as cli_main
from bekasi_field.services.site import Site

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BEKASI_FIELD_HOME and the user dirs point into the test's temp dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("BEKASI_FIELD_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return home


@pytest.fixture
def home(_isolated_home: Path) -> Path:
    return _isolated_home


@pytest.fixture
def site(home: Path) -> Iterator[Site]:
    s = Site.open(home)
    yield s
    s.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run `bekasi-field ARGS...` in-process; returns exit code, stdout, stderr."""

    def run(*args: str | os.PathLike[str]) -> CliResult:
        try:
            code = cli_main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_cli_subprocess(*args: str | os.PathLike[str], env: dict[str, str] | None = None,
                       timeout: float = 120) -> CliResult:
    """Run the CLI in a child process (for crash tests and real start-up)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bekasi_field", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
        check=False,  # the caller asserts the exit code
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
