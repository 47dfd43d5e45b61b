"""The architecture of DESIGN.md §2, checked by walking every import in the package (lazy
imports inside functions and relative imports included). `make lint` runs it with ruff and mypy.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "bekasi_field"

# layer -> packages of bekasi_field it must never import, and why
RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "store": (("services", "gui", "hub", "sync", "commands"), "tables serve, never call up"),
    "scan": (("services", "gui", "store", "hub", "commands"), "testable with no database"),
    "sync": (("services", "gui", "commands"), "the protocol sits below the services"),
    "reports": (("services", "gui", "hub", "commands"), "renderers take plain data"),
    "hub": (("gui",), "the hub runs headless on a server"),
    "domain": (("store", "services", "scan", "sync", "reports", "hub", "gui", "commands"),
               "rules are pure"),
}
# I/O a domain module must not reach for (it gets facts, it does not fetch them)
DOMAIN_IO = ("sqlite3", "sqlalchemy", "sqlmodel", "httpx", "cv2", "PySide6", "fastapi",
             "uvicorn", "psycopg", "socket", "subprocess", "urllib.request")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module name `source` (the text of `module`) imports, relative ones resolved."""
    names: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
                names.add(target)
                names.update(f"{target}.{a.name}" for a in node.names)  # maybe modules
            elif node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _imports(path: Path) -> set[str]:
    return imports_of(path.read_text(encoding="utf-8"), _module_name(path),
                      is_package=path.name == "__init__.py")


@cache
def _modules() -> list[tuple[str, set[str]]]:
    return [(str(p.relative_to(PKG.parent).as_posix()), _imports(p))
            for p in sorted(PKG.rglob("*.py"))]


def _hits(names: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes))


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_nothing_above_it(layer: str) -> None:
    forbidden, why = RULES[layer]
    prefixes = tuple(f"bekasi_field.{f}" for f in forbidden)
    offenders = {m: _hits(names, prefixes) for m, names in _modules()
                 if m.startswith(f"bekasi_field/{layer}/") and _hits(names, prefixes)}
    assert offenders == {}, f"{layer}/: {why}"


def test_domain_reaches_for_no_io() -> None:
    offenders = {m: _hits(names, DOMAIN_IO) for m, names in _modules()
                 if m.startswith("bekasi_field/domain/") and _hits(names, DOMAIN_IO)}
    assert offenders == {}


def test_the_walker_sees_lazy_relative_and_from_imports() -> None:
    source = ("import os\n"
              "def f():\n    from ..services import journal\n"
              "from . import slip_codec\n"
              "from bekasi_field.gui.theme import icon\n")
    names = imports_of(source, "bekasi_field.domain.verdicts")
    assert {"bekasi_field.services", "bekasi_field.services.journal",
            "bekasi_field.domain.slip_codec", "bekasi_field.gui.theme"} <= names
    assert _hits(names, ("bekasi_field.services",)) == ["bekasi_field.services",
                                                        "bekasi_field.services.journal"]
    assert imports_of("from .api import routes", "bekasi_field.hub",
                      is_package=True) >= {"bekasi_field.hub.api"}


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


GUI_MAY_IMPORT = ("bekasi_field.gui", "bekasi_field.services", "bekasi_field.domain",
                  "bekasi_field.i18n", "bekasi_field.paths",
                  "bekasi_field.logging_setup")  # where the log file is (the crash dialog)


def _gui_offenders(modules: list[tuple[str, set[str]]]) -> list[tuple[str, list[str]]]:
    found = []
    for m, names in modules:
        bad = sorted(n for n in names
                     if n.startswith("bekasi_field") and not n.startswith(GUI_MAY_IMPORT))
        if m.startswith("bekasi_field/gui/") and bad:
            found.append((m, bad))
    return found


def test_gui_imports_only_services_domain_i18n_and_paths() -> None:
    """The desk reaches the database, the scanners, sync and the report writers only through
    services/ (DeskServices and friends), so every call from a widget is a typed service call.
    Imports inside functions and under TYPE_CHECKING count too."""
    assert _gui_offenders(_modules()) == []


def test_the_gui_rule_names_a_module_that_breaks_it() -> None:
    source = ("def f():\n    from bekasi_field.store.db import Database\n"
              "import bekasi_field.reports.bast_pdf\n"
              "from ..services import desk\n")
    modules = [("bekasi_field/gui/bad.py", imports_of(source, "bekasi_field.gui.bad"))]
    [(module, bad)] = _gui_offenders(modules)
    assert module == "bekasi_field/gui/bad.py"
    assert {"bekasi_field.store.db", "bekasi_field.reports.bast_pdf"} <= set(bad)
    assert not any(n.startswith("bekasi_field.services") for n in bad)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph` (module -> modules it imports), or None."""
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_command_modules_import_no_cycle() -> None:
    """A verb module may use shared helpers (common.py, hub_common.py), never another verb
    module that imports it back (bundle_cmd <-> hub_cmd was one)."""
    graph = {_module_name(PKG.parent / m): {n for n in names
                                           if n.startswith("bekasi_field.commands.")}
             for m, names in _modules() if m.startswith("bekasi_field/commands/")}
    assert _cycle(graph) is None
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
