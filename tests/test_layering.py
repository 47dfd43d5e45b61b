"""The architecture of DESIGN.md §2, checked by walking every import in the package."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "bekasi_field"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, set[str]]]:
    return [(str(p.relative_to(PKG.parent)), _imports(p)) for p in sorted(PKG.rglob("*.py"))]


def test_qt_only_in_gui() -> None:
    offenders = [
        m for m, names in _modules()
        if not m.startswith("bekasi_field/gui/") and any(n.startswith("PySide6") for n in names)
    ]
    assert offenders == []


def test_nothing_imports_gui_but_the_composition_root() -> None:
    allowed = ("bekasi_field/gui/", "bekasi_field/app.py")
    offenders = [
        m for m, names in _modules()
        if not m.startswith(allowed) and any(n.startswith("bekasi_field.gui") for n in names)
    ]
    assert offenders == []


def test_domain_is_pure() -> None:
    forbidden = ("bekasi_field.store", "bekasi_field.services", "bekasi_field.scan",
                 "bekasi_field.sync", "bekasi_field.reports", "bekasi_field.hub",
                 "bekasi_field.gui", "sqlite3", "sqlalchemy", "sqlmodel", "httpx", "cv2")
    offenders = [
        (m, sorted(n for n in names if n.startswith(forbidden)))
        for m, names in _modules()
        if m.startswith("bekasi_field/domain/") and any(n.startswith(forbidden) for n in names)
    ]
    assert offenders == []


def test_lower_layers_do_not_import_services() -> None:
    lower = ("bekasi_field/domain/", "bekasi_field/store/", "bekasi_field/scan/",
             "bekasi_field/reports/")
    offenders = [
        m for m, names in _modules()
        if m.startswith(lower) and any(n.startswith("bekasi_field.services") for n in names)
    ]
    assert offenders == []
