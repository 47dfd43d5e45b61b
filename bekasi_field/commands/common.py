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
    """The site of --home; when its data key is not in this account's key store (and no
    BEKASI_FIELD_PASSPHRASE is set), the recovery passphrase is asked on a terminal."""
    from bekasi_field.store.datakey import PassphraseNeeded
    home = resolve_home(getattr(args, "home", None))
    try:
        return Site.open(home, create=create)
    except PassphraseNeeded as exc:
        if not sys.stdin.isatty():
            raise  # a script: exit 3 with the message (it names BEKASI_FIELD_PASSPHRASE)
        sys.stderr.write(exc.message + "\n")
        passphrase = ask_passphrase(new=exc.first_run)
    return Site.open(home, create=create, passphrase=passphrase)


def ask_passphrase(*, new: bool) -> str:
    """The recovery passphrase from the terminal (twice when it is being set)."""
    import getpass

    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.i18n import tr
    from bekasi_field.store.datakey import MIN_PASSPHRASE
    if not new:
        return getpass.getpass(tr("datakey.prompt"))
    first = getpass.getpass(tr("datakey.prompt_new", n=MIN_PASSPHRASE))
    if getpass.getpass(tr("datakey.prompt_again")) != first:
        raise BekasiError(tr("datakey.mismatch"))
    return first


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """One JSON document on stdout with --json, else the human text."""
    if wants_json(args):
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")
