import re

import pytest

from bekasi_field.domain.verdicts import VERDICT_STYLE, Text, Verdict, VerdictCode
from bekasi_field.i18n import catalogues, set_language, tr


def test_every_code_has_a_style_with_both_languages() -> None:
    assert set(VERDICT_STYLE) == set(VerdictCode)
    for code, style in VERDICT_STYLE.items():
        assert re.fullmatch(r"#[0-9A-F]{6}", style.colour), code
        assert style.sound in ("yes", "no", "again")
        for key in (style.text_key, style.next_key):
            assert key in catalogues()["id"] and key in catalogues()["en"], key


def test_only_eligible_is_green_and_sounds_yes() -> None:
    yes = [c for c, s in VERDICT_STYLE.items() if s.sound == "yes"]
    assert yes == [VerdictCode.ELIGIBLE]
    assert len({s.colour for c, s in VERDICT_STYLE.items() if c is not VerdictCode.ELIGIBLE}
               & {VERDICT_STYLE[VerdictCode.ELIGIBLE].colour}) == 0


@pytest.mark.parametrize("code", list(VerdictCode))
def test_actions_allowed_by_each_verdict(code: VerdictCode) -> None:
    v = Verdict(code=code, event_id="E", household_id=None, text=Text("m"))
    assert v.allows_handover is (code is VerdictCode.ELIGIBLE)
    assert v.allows_override is (code is VerdictCode.WRONG_SITE)
    doc = v.as_dict()
    assert doc["verdict"] == code.value and doc["event_id"] == "E"
    assert {"household_id", "message", "details"} <= doc.keys()


def test_headline_follows_the_language() -> None:
    style = VERDICT_STYLE[VerdictCode.ALREADY_COLLECTED]
    assert style.headline == "SUDAH DIAMBIL"
    set_language("en")
    try:
        assert style.headline == "ALREADY COLLECTED"
        assert tr(style.next_key).startswith("Do not hand over")
    finally:
        set_language("id")
