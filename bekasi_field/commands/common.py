"""Helpers every command uses: the common options, the site, JSON or text output."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bekasi_field.paths import resolve_home
from bekasi_field.services.site import Site


def common_options() -> argparse.ArgumentParser:
    """--home and --json, accepted before or after the verb."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--home", default=argparse.SUPPRESS, help="data directory of the site")
    p.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document"
    )
    return p


def add_verb(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    common: argparse.ArgumentParser,
    help_text: str,
) -> argparse.ArgumentParser:
    return sub.add_parser(name, parents=[common], help=help_text, description=help_text)


def open_site(args: argparse.Namespace, *, create: bool = True) -> Site:
    return Site.open(resolve_home(getattr(args, "home", None)), create=create)


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """One JSON document on stdout with --json, else the human text."""
    if wants_json(args):
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")
