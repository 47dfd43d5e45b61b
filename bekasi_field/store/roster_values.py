"""Turning messy roster cells into canonical values, fast: caches for repeated spellings.

Every parser returns the canonical value or raises CellError(reason_key, **values). The NIK and
No. KK checks have a fast path (a dict of valid date parts) whose answers are taken from
domain.identifiers itself, so the two can never disagree; any value that misses the fast path
goes through domain.identifiers for the exact reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bekasi_field.domain.identifiers import (
    PROVINCE_CODES,
    IdentifierError,
    _date_from,
    parse_kk,
    parse_kks,
    parse_nik,
)
from bekasi_field.domain.names import _FOLD, _TITLES, normalize_name  # the same word lists
from bekasi_field.store.roster_reader import EXCEL_NUMBER_MARK
from bekasi_field.store.roster_wilayah import wilayah


class CellError(Exception):
    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


_MANGLED = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$|^\d{15,}[.,]\d+$")


def clean(value: str) -> str:
    """Stray spaces (also non-breaking), Excel's leading apostrophe and ="..." text markers."""
    v = value.strip()
    if v[:1] == "'":
        v = v[1:].strip()
    elif v[:2] == '="' and v[-1:] == '"':  # ="3275..." : the formula trick that keeps text
        v = v[2:-1].strip()
    if "\xa0" in v:
        v = v.replace("\xa0", " ").strip()
    return v


def _identifier_error(v: str) -> CellError:
    if v.startswith(EXCEL_NUMBER_MARK):
        return CellError("roster.excel_number")
    if _MANGLED.match(v):
        return CellError("roster.excel_mangled")
    return CellError("")


# --- NIK / No. KK -----------------------------------------------------------------------

_today = [dt.date.today()]  # "now" for two-digit years and birth dates; see reset_caches()
_NIK_DATES: dict[str, tuple[str, str] | None] = {}  # "DDMMYY" -> (ISO birth date, sex)
_KK_DATES: dict[str, bool] = {}


def _nik_date(date6: str) -> tuple[str, str] | None:
    """parse_nik's date rules for one DDMMYY (tests hold the two equal on random input)."""
    day, month, yy = int(date6[:2]), int(date6[2:4]), int(date6[4:])
    sex = "L"
    if day > 40:
        day, sex = day - 40, "P"
    born = _date_from(day, month, yy)
    found = None
    if born is not None:
        if born > _today[0]:
            try:
                born = born.replace(year=born.year - 100)
            except ValueError:
                pass
        found = (born.isoformat(), sex)
    _NIK_DATES[date6] = found
    return found


_NIK_HEADS: dict[str, tuple[str, str] | None] = {}  # first 12 digits -> (birth ISO, sex)
_SERIALS = frozenset(f"{i:04d}" for i in range(1, 10_000))  # valid last four digits


def _nik_head(head: str) -> tuple[str, str] | None:
    """Region and date part of a NIK (its first 12 characters), answered once per spelling."""
    found = None
    if len(head) == 12 and head.isdigit() and head.isascii() and head[:2] in PROVINCE_CODES \
            and head[2:4] != "00" and head[4:6] != "00":
        d6 = head[6:]
        found = _NIK_DATES[d6] if d6 in _NIK_DATES else _nik_date(d6)
    _NIK_HEADS[head] = found
    return found


def nik(value: str) -> tuple[str, str, str]:
    """(nik, ISO birth date, sex) from the NIK itself."""
    v = value if len(value) == 16 else clean(value)  # 16 chars: nothing to clean off
    if len(v) == 16 and v[12:] in _SERIALS:
        head = v[:12]
        found = _NIK_HEADS[head] if head in _NIK_HEADS else _nik_head(head)
        if found is not None:
            return v, found[0], found[1]
    v = clean(v)
    err = _identifier_error(v)
    if err.reason:
        raise err
    try:
        n = parse_nik(v)  # separators ("3275 0212 ...") are fine; anything else says why
    except IdentifierError as exc:
        raise CellError(exc.reason) from None
    return n.value, n.birth_date.isoformat(), n.sex


def _kk_date(date6: str) -> bool:
    ok = _date_from(int(date6[:2]), int(date6[2:4]), int(date6[4:])) is not None
    _KK_DATES[date6] = ok
    return ok


def no_kk(value: str) -> str:
    v = clean(value)
    if len(v) == 16 and v.isdigit() and v.isascii() and v[:2] in PROVINCE_CODES \
            and v[2:4] != "00" and v[4:6] != "00" and v[12:] != "0000":
        d6 = v[6:12]
        if _KK_DATES[d6] if d6 in _KK_DATES else _kk_date(d6):
            return v
    err = _identifier_error(v)
    if err.reason:
        raise err
    try:
        return parse_kk(v)
    except IdentifierError as exc:
        raise CellError(exc.reason) from None


_DIGIT = bytes.maketrans(b"0123456789", bytes(range(10)))  # ASCII digit -> its value
_DOUBLED = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))  # -> digit
# sum of twice it


def _luhn_fast(v: str) -> bool:
    """luhn_ok for 16 ASCII digits, without a Python loop (tests compare the two)."""
    b = v.encode()
    return (sum(b[-1::-2].translate(_DIGIT)) + sum(b[-2::-2].translate(_DOUBLED))) % 10 == 0


def kks_card(value: str) -> str | None:
    v = clean(value)
    if not v or v == "-":
        return None
    if len(v) == 16 and v.isdigit() and v.isascii() and _luhn_fast(v):
        return v
    err = _identifier_error(v)
    if err.reason:
        raise err
    try:
        return parse_kks(v)
    except IdentifierError as exc:
        raise CellError(exc.reason) from None


def household_id(value: str) -> str:
    if value.isdigit():
        return value
    v = clean(value)
    if v.isdigit():
        return v
    if v.startswith(EXCEL_NUMBER_MARK) or _MANGLED.match(v):
        raise _identifier_error(v)
    if not v:
        raise CellError("roster.required")
    if len(v) > 64:
        raise CellError("roster.too_long")
    return v


# --- names ------------------------------------------------------------------------------

_PLAIN_NAME = re.compile(r"[a-z]+(?: [a-z]+)*")
_SPECIAL_WORDS = frozenset(_TITLES) | frozenset(_FOLD)


def name(value: str) -> tuple[str, str]:
    """(display name with single spaces, normalised name for matching)."""
    display = " ".join(value.split())
    if not display:
        raise CellError("roster.required")
    low = display.lower()
    # Most names are plain words with no title or variant spelling: normalize_name's answer
    # is then the lower-case text itself (tests/store/test_roster_values.py holds them equal).
    if _PLAIN_NAME.fullmatch(low) and _SPECIAL_WORDS.isdisjoint(low.split()):
        return display, low
    return display, normalize_name(display)


# --- small vocabularies (cached per spelling) ---------------------------------------------

def _vocab_key(v: str) -> str:
    return re.sub(r"[\s_.\-]+", "", v.strip().lower())


SEX = {"l": "L", "lk": "L", "lakilaki": "L", "laki": "L", "pria": "L", "m": "L", "male": "L",
       "1": "L", "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "w": "P", "f": "P",
       "female": "P", "2": "P"}
YES = {"y", "ya", "yes", "1", "true", "benar", "v", "x", "\u2713", "pengurus", "iya"}
NO = {"", "n", "t", "tidak", "no", "0", "false", "salah", "bukan"}
# SHDK codes of the civil registry, and the words people write.
RELATIONSHIP = {
    "1": "Kepala Keluarga", "2": "Suami/Istri", "3": "Anak", "4": "Menantu", "5": "Cucu",
    "6": "Orang Tua", "7": "Mertua", "8": "Famili Lain", "9": "Lainnya",
    "kepalakeluarga": "Kepala Keluarga", "kk": "Kepala Keluarga", "kepala": "Kepala Keluarga",
    "kepalarumahtangga": "Kepala Keluarga", "krt": "Kepala Keluarga", "istri": "Istri",
    "isteri": "Istri", "suami": "Suami", "suamiistri": "Suami/Istri", "anak": "Anak",
    "anakkandung": "Anak", "anakangkat": "Anak Angkat", "anaktiri": "Anak Tiri",
    "menantu": "Menantu", "cucu": "Cucu", "orangtua": "Orang Tua", "ortu": "Orang Tua",
    "mertua": "Mertua", "famililain": "Famili Lain", "famili": "Famili Lain",
    "pembantu": "Pembantu", "lainnya": "Lainnya", "head": "Kepala Keluarga",
    "headofhousehold": "Kepala Keluarga", "wife": "Istri", "husband": "Suami", "spouse":
    "Suami/Istri", "child": "Anak", "son": "Anak", "daughter": "Anak", "grandchild": "Cucu",
    "parent": "Orang Tua",
}
STATUS = {"": "active", "aktif": "active", "active": "active", "1": "active",
          "ditangguhkan": "suspended", "tangguh": "suspended", "suspend": "suspended",
          "suspended": "suspended", "blokir": "suspended", "diblokir": "suspended",
          "nonaktif": "suspended", "graduasi": "graduated", "graduated": "graduated",
          "lulus": "graduated", "mandiri": "graduated", "graduasimandiri": "graduated",
          "meninggal": "deceased", "meninggaldunia": "deceased", "wafat": "deceased",
          "deceased": "deceased", "almarhum": "deceased", "almh": "deceased", "alm": "deceased"}
PROGRAMMES = ("BLT", "BPJSTK", "BPNT", "KKS", "PKH")
_PROGRAMME_ALIASES = {"SEMBAKO": "BPNT", "BANSOSSEMBAKO": "BPNT", "BLTDD": "BLT", "BLTBBM": "BLT",
                      "BLTDANADESA": "BLT", "BST": "BLT", "BPJSKETENAGAKERJAAN": "BPJSTK",
                      "BPJSTK": "BPJSTK", "KIS": None}

_sex_cache: dict[str, str] = {}
_flag_cache: dict[str, bool] = {}
_rel_cache: dict[str, str] = {}
_status_cache: dict[str, str] = {}
_prog_cache: dict[str, str] = {}
_date_cache: dict[str, str] = {}
_kel_cache: dict[str, tuple[str, str]] = {}
_rtrw_cache: dict[str, str] = {}
_desil_cache: dict[str, int | None] = {}


def sex(value: str) -> str | None:
    found = _sex_cache.get(value)
    if found is None:
        key = _vocab_key(value)
        if not key:
            return None
        found = SEX.get(key)
        if found is None:
            raise CellError("roster.bad_sex")
        _sex_cache[value] = found
    return found


def flag(value: str) -> bool:
    found = _flag_cache.get(value)
    if found is None:
        key = value.strip().lower().rstrip(".")
        if key in YES:
            found = True
        elif key in NO or key == "-":
            found = False
        else:
            raise CellError("roster.bad_flag")
        _flag_cache[value] = found
    return found


def relationship(value: str) -> str:
    found = _rel_cache.get(value)
    if found is None:
        key = _vocab_key(value)
        found = RELATIONSHIP.get(key) or " ".join(value.split()).title()
        _rel_cache[value] = found
    return found


def status(value: str) -> str:
    found = _status_cache.get(value)
    if found is None:
        found = STATUS.get(_vocab_key(value))
        if found is None:
            raise CellError("roster.bad_status")
        _status_cache[value] = found
    return found


def programmes(value: str) -> str:
    """'PKH; bpnt | KKS' -> 'BPNT,KKS,PKH' (sorted, the form events match against)."""
    found = _prog_cache.get(value)
    if found is None:
        text = value.upper().replace("BPJS KETENAGAKERJAAN", "BPJSTK")
        text = re.sub(r"BPJS[\s\-_]*TK", "BPJSTK", text)
        text = re.sub(r"BLT[\s\-_]+(DD|BBM|DANA DESA)", r"BLT\1", text)
        out = set()
        text = re.sub(r"\bDAN\b|&", ";", text)  # "PKH dan BPNT", "PKH & BPNT"
        for token in re.split(r"[;,|/+\-\s]+", text):
            if not token:
                continue
            token = _PROGRAMME_ALIASES.get(token, token) or ""
            if token == "":
                continue
            if token not in PROGRAMMES:
                raise CellError("roster.bad_programme", token=token, known=", ".join(PROGRAMMES))
            out.add(token)
        found = ",".join(sorted(out))
        _prog_cache[value] = found
    return found


_MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2,
    "february": 2, "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5,
    "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_MONTH_D_Y = re.compile(r"([a-z]+)[\s\-/.]+(\d{1,2}),?[\s\-/.]+(\d{4})")
_D_MONTH_Y = re.compile(r"(\d{1,2})[\s\-/.]+([a-z]+)[\s\-/.,]+(\d{4})")


def birth_date(value: str, today: dt.date | None = None) -> str | None:
    """ISO date from DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD, '12 Maret 1985'; None when empty."""
    found = _date_cache.get(value)
    if found is not None:
        return found
    v = value.strip().lower()
    if not v or v == "-":
        return None
    parts: tuple[int, int, int] | None = None
    if m := _DMY.fullmatch(v):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD.fullmatch(v):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _D_MONTH_Y.fullmatch(v)) and m[2] in _MONTHS:
        parts = (int(m[3]), _MONTHS[m[2]], int(m[1]))
    elif (m := _MONTH_D_Y.fullmatch(v)) and m[1] in _MONTHS:  # "March 12, 1985"
        parts = (int(m[3]), _MONTHS[m[1]], int(m[2]))
    if parts is None:
        raise CellError("roster.bad_date")
    try:
        d = dt.date(*parts)
    except ValueError:
        raise CellError("roster.bad_date") from None
    if d > (today or _today[0]) or d.year < 1900:
        raise CellError("roster.bad_date")
    found = d.isoformat()
    _date_cache[value] = found
    return found


_SHORT_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})")


def short_year_date(value: str, nik_birth: str) -> str | None:
    """'12-03-85' is ambiguous alone; when the NIK says 1985-03-12 it is that date."""
    m = _SHORT_DMY.fullmatch(value.strip())
    if m is None:
        return None
    day, month, yy = int(m[1]), int(m[2]), m[3]
    y, mo, d = nik_birth.split("-")
    return nik_birth if (int(d), int(mo), y[2:]) == (day, month, yy) else None


def kelurahan(value: str) -> tuple[str, str]:
    """(canonical kelurahan, its kecamatan) in Kota Bekasi."""
    found = _kel_cache.get(value)
    if found is None:
        w = wilayah()
        canon = w.canonical_kelurahan(value) if value.strip() else None
        if canon is None:
            if not value.strip():
                raise CellError("roster.required")
            raise CellError("roster.bad_kelurahan",
                            close=", ".join(w.close_kelurahan(value)) or "-")
        found = (canon, w.kelurahan_to_kecamatan[canon])
        _kel_cache[value] = found
    return found


_kec_cache: dict[tuple[str, str], bool] = {}


def kecamatan_matches(value: str, expected: str) -> bool:
    key = (value, expected)
    found = _kec_cache.get(key)
    if found is None:
        found = wilayah().canonical_kecamatan(value) == expected if value.strip() else True
        _kec_cache[key] = found
    return found


def rt(value: str) -> str:
    """RT from its own column, or the first half of a combined 'RT/RW' cell ('003/007')."""
    return rt_rw(value.split("/", 1)[0]) if "/" in value else rt_rw(value)


def rw(value: str) -> str:
    return rt_rw(value.split("/", 1)[1]) if "/" in value else rt_rw(value)


def rt_rw(value: str) -> str:
    """'3', '03', 'RT 003', '003' -> '003'."""
    found = _rtrw_cache.get(value)
    if found is None:
        v = re.sub(r"^(rt|rw)[\s.:]*", "", value.strip().lower())
        if not v:
            found = ""
        elif v.isdigit() and v.isascii() and len(v) <= 3:
            found = v.zfill(3)
        else:
            raise CellError("roster.bad_rt_rw")
        _rtrw_cache[value] = found
    return found


def desil(value: str) -> int | None:
    if value in _desil_cache:
        return _desil_cache[value]
    v = re.sub(r"^desil\s*", "", value.strip().lower())
    v = v.removesuffix(".0")
    if not v or v == "-":
        found = None
    elif v.isdigit() and v.isascii() and 1 <= int(v) <= 10:
        found = int(v)
    else:
        raise CellError("roster.bad_desil")
    _desil_cache[value] = found
    return found


def reset_caches() -> None:
    """Forget cached answers (called at the start of each import: the date may have moved)."""
    _today[0] = dt.date.today()
    for cache in (_NIK_DATES, _NIK_HEADS, _KK_DATES, _sex_cache, _flag_cache, _rel_cache,
                  _status_cache, _prog_cache, _date_cache, _kel_cache, _rtrw_cache,
                  _desil_cache, _kec_cache):
        cache.clear()
