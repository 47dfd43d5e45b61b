"""The `bekasi-field` command: parse, dispatch to a verb, map errors to exit codes (DESIGN §6).

Exit codes: 0 done, 2 usage error, 3 bad input or data error (message on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bekasi_field import __version__
from bekasi_field.commands import COMMAND_MODULES, VERBS
from bekasi_field.commands.common import common_options
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.logging_setup import setup_logging
from bekasi_field.paths import HomeLayout, resolve_home

log = logging.getLogger(__name__)


# Top-level options that take a value: the token after them is not the verb.
_VALUE_OPTIONS = ("--home", "--camera")


def _verb_in(argv: Sequence[str]) -> str | None:
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the module of the verb in it is imported."""
    common = common_options()
    parser = argparse.ArgumentParser(
        prog="bekasi-field",
        description="Penyaluran bantuan sosial luring untuk Kota Bekasi.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"bekasi-field {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (temporary database, decoders, PDF) and exit")
    parser.add_argument("--camera", default=None, metavar="SOURCE",
                        help="camera for the desktop app: webcam index, video or image file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    verb = _verb_in(argv) if argv is not None else None
    if verb in VERBS:
        modules = [VERBS[verb]]
    elif argv is not None and verb is None and not {"-h", "--help"} & set(argv):
        modules = []  # --version, --self-test or the desktop app: no verb to load
    else:
        modules = COMMAND_MODULES  # help, or an unknown verb argparse must list choices for
    for name in modules:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.self_test:
        return _self_test(args)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = getattr(args, "default_handler", None)
    if handler is None and args.command is None:
        handler = _open_desktop  # `bekasi-field` with no verb opens the desk
    if handler is None:
        parser.print_help()
        return 2
    logs_dir = HomeLayout(resolve_home(getattr(args, "home", None))).logs_dir
    log_path = setup_logging(logs_dir)
    try:
        return int(handler(args) or 0)
    except BekasiError as exc:
        log.info("command %s refused: %s", args.command, type(exc).__name__)
        sys.stderr.write(exc.message.rstrip("\n") + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("Dibatalkan.\n")
        return 130
    except Exception as exc:  # a programming error: keep the traceback in the log only
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write(tr("cli.unexpected", error=type(exc).__name__, log=log_path) + "\n")
        return 1


def _self_test(args: argparse.Namespace) -> int:
    from bekasi_field import selftest

    # Log into an existing site's log only: a self-test must not create a data directory.
    logs_dir = HomeLayout(resolve_home(getattr(args, "home", None))).logs_dir
    if logs_dir.is_dir():
        setup_logging(logs_dir)
    return selftest.run()


def _open_desktop(args: argparse.Namespace) -> int:
    from bekasi_field import app  # lazy: the CLI verbs never load Qt

    return app.run_desktop(home=resolve_home(getattr(args, "home", None)), camera=args.camera)


if __name__ == "__main__":
    raise SystemExit(main())
