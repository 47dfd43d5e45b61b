"""Package data: every file the app reads from inside bekasi_field/ is declared, so a wheel
carries it (CI builds the wheel and self-tests it in a fresh venv: `make wheel-check`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from bekasi_field import paths
from bekasi_field.store import migrations

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bekasi_field"


def test_every_data_file_in_the_package_is_declared_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bekasi_field"]
    declared = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    data = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts}
    assert data, "no package data found"
    assert data <= declared, sorted(str(p.relative_to(PACKAGE)) for p in data - declared)


def test_resources_and_schema_come_from_the_package_not_the_checkout() -> None:
    assert paths.resource_path("samples", "sample_slip.json").is_file()
    assert paths.resource_path().parent == PACKAGE  # bekasi_field/resources, inside the package
    assert not (ROOT / "resources").exists()  # nothing left beside the package to fall back on
    assert migrations._SCHEMA_DIR.joinpath("v1.sql").read_text(encoding="utf-8").strip()
