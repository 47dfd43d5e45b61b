"""Shared fixtures: every test gets its own home; nothing is written outside the temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Before anything imports keyring: the tests' own key store (tests/support/test_keyring.py),
# in this process and in every child process, never the developer's.
_SUPPORT = str(Path(__file__).resolve().parent / "support")
sys.path.insert(0, _SUPPORT)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_SUPPORT, os.environ.get("PYTHONPATH", "")) if p)
os.environ["PYTHON_KEYRING_BACKEND"] = "test_keyring.FileKeyring"
os.environ.pop("BEKASI_FIELD_PASSPHRASE", None)

import keyring
import test_keyring

keyring.set_keyring(test_keyring.FileKeyring())
# Session- and module-scoped fixtures open sites before the per-test key store below is set.
os.environ[test_keyring.ENV] = str(
    Path(tempfile.mkdtemp(prefix="bekasi-test-keystore-")) / "keystore.json")

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
    # This test's "account": its key store lives outside the home (a copied home lacks it).
    monkeypatch.setenv(test_keyring.ENV, str(tmp_path / "keystore.json"))
    monkeypatch.setenv("BEKASI_HUB_KEY_DIR", str(tmp_path / "hub-keys"))
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
