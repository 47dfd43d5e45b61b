"""Every literal key the paper modules (danom, receipts, printers, complaints) pass to tr() is
in both catalogues, so no screen or printout shows a bare key."""

from __future__ import annotations

import ast
from pathlib import Path

from bekasi_field import i18n

PKG = Path(__file__).resolve().parent.parent / "bekasi_field"
MODULES = [
    "commands/complaint_cmd.py", "commands/hub_complaints_cmd.py", "commands/receipt_cmd.py",
    "commands/report_paper_cmd.py", "hub/complaints.py", "reports/complaints_xlsx.py",
    "reports/danom_pdf.py", "reports/receipt_escpos.py", "reports/receipt_pdf.py",
    "services/complaints.py", "services/receipt_printer.py", "services/receipts.py",
    "services/desk_paper.py", "gui/complaint_dialog.py", "gui/paper_actions.py",
]


def _literal_keys(path: Path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "tr" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            keys.add(node.args[0].value)
    return keys


def test_every_key_the_paper_modules_use_is_translated() -> None:
    cats = i18n.catalogues()
    missing = {}
    for rel in MODULES:
        path = PKG / rel
        if not path.exists():
            continue
        lost = sorted(k for k in _literal_keys(path) if k not in cats["id"] or k not in cats["en"])
        if lost:
            missing[rel] = lost
    assert missing == {}
