"""Occupations of informal workers, as the desk lists them and as DTSEN spells them.

The desk offers seven codes (DESIGN §3: ojek online, pedagang kaki lima, buruh harian lepas,
pekerja rumah tangga, petani/nelayan, pemulung, lainnya). Registry text is free: "Driver Ojol",
"PKL", "Buruh Harian Lepas" all land on a code; formal workers (already insured by an employer)
and people without work are told apart so a selection can leave them out and say why.
"""

from __future__ import annotations

import re

OJOL, PKL, BURUH, PRT, TANI, PEMULUNG, LAINNYA = (
    "ojol", "pkl", "buruh", "prt", "tani", "pemulung", "lainnya")
# What the desk offers, in the order the issue lists them.
DESK_CODES: tuple[str, ...] = (OJOL, PKL, BURUH, PRT, TANI, PEMULUNG, LAINNYA)
# The informal occupations the city targets, highest priority first.
TARGETED: tuple[str, ...] = (OJOL, PKL, BURUH, PRT, TANI, PEMULUNG)
FORMAL = "formal"  # PNS, TNI/Polri, karyawan: covered by an employer
NOT_WORKING = "not_working"  # pelajar, ibu rumah tangga, belum/tidak bekerja, pensiunan
UNKNOWN = ""

LABELS: dict[str, str] = {
    OJOL: "Ojek online", PKL: "Pedagang kaki lima", BURUH: "Buruh harian lepas",
    PRT: "Pekerja rumah tangga", TANI: "Petani / nelayan", PEMULUNG: "Pemulung",
    LAINNYA: "Lainnya",
}

# Checked in order: the first word list with a match in the normalised text decides.
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NOT_WORKING, ("pelajar", "mahasiswa", "siswa", "belum bekerja", "tidak bekerja",
                   "mengurus rumah tangga", "ibu rumah tangga", "irt", "pensiunan",
                   "purnawirawan")),
    (FORMAL, ("pns", "asn", "tni", "polri", "polisi", "karyawan", "pegawai", "guru", "dosen",
              "perangkat desa", "bumn", "bumd")),
    (OJOL, ("ojol", "ojek online", "ojek daring", "ojek", "driver online", "pengemudi online",
            "gojek", "grab", "maxim", "kurir online")),
    (PKL, ("pkl", "pedagang kaki lima", "kaki lima", "pedagang keliling", "pedagang asongan",
           "asongan", "pedagang", "penjual", "warung")),
    (BURUH, ("bhl", "buruh harian lepas", "buruh harian", "buruh", "kuli", "tukang",
             "pekerja lepas", "serabutan")),
    (PRT, ("prt", "pekerja rumah tangga", "pembantu rumah tangga", "asisten rumah tangga",
           "art")),
    (TANI, ("petani", "nelayan", "pekebun", "peternak", "buruh tani", "pembudidaya")),
    (PEMULUNG, ("pemulung", "pengepul barang bekas", "rongsok")),
)
_COMPILED = tuple((code, re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b"))
                  for code, words in _WORDS)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def classify(text: str | None) -> str:
    """A code for free occupation text: a DESK_CODES code, FORMAL, NOT_WORKING or UNKNOWN."""
    norm = _norm(text or "")
    if not norm:
        return UNKNOWN
    if norm in DESK_CODES:
        return norm
    # "buruh tani" is a farm labourer: more specific than "buruh"
    if "buruh tani" in norm:
        return TANI
    for code, pattern in _COMPILED:
        if pattern.search(norm):
            return code
    return LAINNYA


def desk_code(text: str) -> str | None:
    """The desk's code for what an officer typed or picked (a code or its label), else None."""
    norm = _norm(text)
    for code in DESK_CODES:
        if norm in (code, _norm(LABELS[code])):
            return code
    found = classify(text)
    return found if found in DESK_CODES else None
