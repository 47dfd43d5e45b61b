"""The command line as a whole: exit codes and what a desk verb loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _modules_loaded_by(argv: list[str], home: Path) -> tuple[int, set[str]]:
    code = (
        "import sys, json\n"
        "from bekasi_field.cli import main\n"
        f"rc = main({argv!r})\n"
        "sys.stdout.write('\\n' + json.dumps([rc, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**os.environ, "BEKASI_FIELD_HOME": str(home)}, timeout=120)
    rc, mods = json.loads(proc.stdout.strip().splitlines()[-1])
    return rc, set(mods)


def test_a_desk_verb_does_not_load_the_hub_or_the_report_writers(tmp_path: Path) -> None:
    rc, mods = _modules_loaded_by(["officer", "list", "--json"], tmp_path / "h")
    assert rc == 0
    assert "fastapi" not in mods and "openpyxl" not in mods and "PySide6" not in mods


def test_version_loads_no_verb(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "bekasi_field", "--version"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("bekasi-field ")


def test_unknown_verb_is_a_usage_error(cli) -> None:
    r = cli("no-such-verb")
    assert r.code == 2
    assert "invalid choice" in r.err


def test_every_verb_is_registered_by_its_module() -> None:
    import argparse
    import importlib

    from bekasi_field.commands import VERBS
    from bekasi_field.commands.common import common_options

    for verb, module in VERBS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(module).register(sub, common_options())
        assert verb in sub.choices, (verb, module)
