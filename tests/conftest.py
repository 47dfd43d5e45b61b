"""Shared fixtures: every test gets its own home; nothing is written outside the temp dir.

As in qutebrowser's suite, that is checked: the session runs with HOME pointed at an empty
directory, and after every test that directory must still be empty and the source tree must
hold the same files as before it (caches of the tools aside).
"""

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
from write_guard import strays, tree_files

keyring.set_keyring(test_keyring.FileKeyring())
# Session- and module-scoped fixtures open sites before the per-test key store below is set.
os.environ[test_keyring.ENV] = str(
    Path(tempfile.mkdtemp(prefix="bekasi-test-keystore-")) / "keystore.json")

from bekasi_field.cli import main as cli_main
from bekasi_field.services.site import Site

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def _user_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """HOME (USERPROFILE on Windows) for the whole session: must stay empty."""
    home = tmp_path_factory.mktemp("user-home")
    saved = {k: os.environ.get(k) for k in ("HOME", "USERPROFILE")}
    os.environ["HOME"] = os.environ["USERPROFILE"] = str(home)
    yield home
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def _source_tree() -> set[str]:
    return tree_files(ROOT)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _user_home: Path,
                   _source_tree: set[str]) -> Iterator[Path]:
    """BEKASI_FIELD_HOME, the user dirs and temp files point into the test's temp dir; after
    the test, nothing may have landed in HOME or the source tree."""
    home = tmp_path / "home"
    monkeypatch.setenv("BEKASI_FIELD_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # This test's "account": its key store lives outside the home (a copied home lacks it).
    monkeypatch.setenv(test_keyring.ENV, str(tmp_path / "keystore.json"))
    monkeypatch.setenv("BEKASI_HUB_KEY_DIR", str(tmp_path / "hub-keys"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # child processes' temp files too
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield home
    written = strays(set(), tree_files(_user_home)) + [
        f"source tree: {p}" for p in strays(_source_tree, tree_files(ROOT))]
    assert written == [], f"written outside the test's temp dir: {written}"


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
