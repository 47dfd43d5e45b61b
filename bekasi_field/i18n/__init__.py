"""One translation function for every user-visible text: Bahasa Indonesia first, English second.

Catalogues are the modules `bekasi_field/i18n/catalog_*.py`, each with two dicts `ID` and `EN`
holding the same keys and placeholders (tests/test_i18n.py checks it). Each part of the app owns
its own catalogue module so that parts can grow without touching one shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

LANGUAGES = ("id", "en")
_current = "id"


@cache
def catalogues() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"id": {}, "en": {}}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("catalog_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang, attr in (("id", "ID"), ("en", "EN")):
            table: dict[str, str] = getattr(module, attr)
            clash = merged[lang].keys() & table.keys()
            if clash:
                raise RuntimeError(f"i18n keys defined twice: {sorted(clash)}")
            merged[lang].update(table)
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def tr(key: str, /, lang: str | None = None, **values: object) -> str:
    """The text for `key` in the current (or given) language, with {placeholders} filled."""
    table = catalogues()[lang or _current]
    text = table.get(key)
    if text is None:
        text = catalogues()["id"].get(key, key)
    return text.format(**values) if values else text
