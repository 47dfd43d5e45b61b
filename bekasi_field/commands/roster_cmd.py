"""`bekasi-field roster import FILE [--report CSV]`: load a roster into the snapshot."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site, wants_json
from bekasi_field.i18n import tr
from bekasi_field.progress import TerminalProgress
from bekasi_field.services import roster


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "roster", common, "the registry snapshot (DTSEN roster)")
    verbs = p.add_subparsers(dest="roster_verb", required=True)
    imp = add_verb(verbs, "import", common, "import a roster CSV or XLSX (one row per member)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--report", type=Path, help="write rejected rows to this CSV")
    imp.add_argument("--kelurahan", help="kelurahan of rows that name none (e.g. 'Kota Baru')")
    imp.set_defaults(handler=_import)


def summary_text(result: roster.ImportResult) -> str:
    def n(value: int) -> str:  # 1.000.000, as Indonesian readers write it
        return f"{value:,}".replace(",", ".")

    lines = [tr("roster.summary", read=n(result.read), imported=n(result.imported),
                updated=n(result.updated), unchanged=n(result.unchanged),
                rejected=n(result.rejected), warnings=n(len(result.warnings)))]
    if result.report_path:
        lines.append(tr("roster.see_report", path=result.report_path))
    elif result.rejections:
        lines.append(tr("roster.first_rejections"))
        lines += [f"  {r.row:>7}  {r.column:<14} {r.value:<20} {r.reason}"
                  for r in result.rejections[:10]]
    return "\n".join(lines)


def _import(args: argparse.Namespace) -> int:
    progress = None if wants_json(args) else TerminalProgress(tr("roster.progress"))
    with open_site(args) as site:
        result = roster.import_roster(site.db.engine, args.file, report_path=args.report,
                                      progress=progress, default_kelurahan=args.kelurahan)
    emit(args, result.as_json(), summary_text(result))
    return 0
