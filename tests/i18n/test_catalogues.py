import string

from bekasi_field import i18n


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_catalogues_have_every_key_and_the_same_placeholders() -> None:
    cats = i18n.catalogues()
    assert cats["id"].keys() == cats["en"].keys()
    for key, text in cats["id"].items():
        assert _fields(text) == _fields(cats["en"][key]), key


def test_indonesian_is_the_default_and_english_switches() -> None:
    assert i18n.tr("pin.wrong", left=2) == "PIN salah. Sisa percobaan: 2."
    i18n.set_language("en")
    try:
        assert i18n.tr("pin.wrong", left=2) == "Wrong PIN. Attempts left: 2."
    finally:
        i18n.set_language("id")
