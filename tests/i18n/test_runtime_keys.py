"""Keys built at run time (f"verdict.{slug}") exist in both catalogues for every value they can
take, and every such f-string in the package is listed here (a new one fails until it is)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bekasi_field import i18n
from bekasi_field.domain import complaint_record
from bekasi_field.domain.verdict_rule import HOUSEHOLD_STATUSES
from bekasi_field.domain.verdicts import VerdictCode
from bekasi_field.reports import danom_model
from bekasi_field.scan import guidance
from bekasi_field.services import graduation, receipts

PKG = Path(__file__).resolve().parents[2] / "bekasi_field"
SLUGS = [c.value.lower() for c in VerdictCode]

# template -> every value its placeholder can take
RUNTIME_KEYS: dict[str, tuple[str, ...]] = {
    "verdict.{}": tuple(SLUGS),  # domain/verdicts.py _style, gui/desk_page.py
    "verdict.next.{}": tuple(SLUGS),
    "verdict.status.{}": HOUSEHOLD_STATUSES,  # domain/verdict_rule.py judge
    "desk.next.{}": HOUSEHOLD_STATUSES,  # domain/verdict_rule.py judge: where to send them
    "danom.status.{}": danom_model.STATUSES,  # reports/danom_pdf.py
    "complaint.cat.{}": complaint_record.CATEGORIES,
    "complaint.status.{}": complaint_record.STATUSES,
    "receipt.bad.{}": receipts.CHECK_PROBLEMS,  # commands/receipt_cmd.py verify
    "dash.{}": ("bast", "xlsx"),  # gui/dashboard.py export dialog title
    "scan.hint.{}": guidance.HINTS,  # gui/main_window.py status bar
    "grad.reason.{}": graduation.REASONS,  # services/graduation.py
}
# Templates that look like keys but are not texts
NOT_TEXTS = {"desk.{}": "the desk's settings in the meta table (services/desk.py)"}
_KEYISH = re.compile(r"^[a-z][a-z_]*(\.[a-z_]+)*\.$")


def _templates_in_package() -> dict[str, list[str]]:
    """f-strings that build an i18n key: a literal 'a.b.' prefix then one placeholder."""
    found: dict[str, list[str]] = {}
    for path in sorted(PKG.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr) or len(node.values) < 2:
                continue
            first = node.values[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)
                    and _KEYISH.match(first.value)):
                continue
            template = "".join(v.value if isinstance(v, ast.Constant) else "{}"
                               for v in node.values)
            found.setdefault(template, []).append(str(path.relative_to(PKG.parent)))
    return found


def test_every_key_template_in_the_code_is_listed_here() -> None:
    found = _templates_in_package()
    assert "verdict.{}" in found  # the walker sees them
    unlisted = {t: where for t, where in found.items() if t not in RUNTIME_KEYS and t not in NOT_TEXTS}
    assert unlisted == {}


@pytest.mark.parametrize("template", sorted(RUNTIME_KEYS))
def test_every_value_of_a_runtime_key_is_in_both_catalogues(template: str) -> None:
    cats = i18n.catalogues()
    values = RUNTIME_KEYS[template]
    assert values
    missing = {lang: [template.format(v) for v in values if template.format(v) not in cats[lang]]
               for lang in ("id", "en")}
    assert missing == {"id": [], "en": []}
