"""Name normalisation for fuzzy matching: spelling variants, spacing, titles."""

from __future__ import annotations

import re
import unicodedata

# Honorifics and academic titles that appear before or after names in registry exports.
_TITLES = {
    "h", "hj", "haji", "hajah", "dr", "drs", "dra", "ir", "prof", "st", "sh", "se", "spd",
    "s", "pd", "sag", "skom", "mh", "mm", "mpd", "amd", "bapak", "bpk", "ibu", "bu",
    "sdr", "sdri", "tn", "ny", "nn", "ust", "ustadz", "ustazah", "kh",
}
# Common spelling variants folded onto one form.
_VARIANTS = {
    "muhammad": ("muhamad", "mohammad", "mohamad", "muhammed", "mohammed", "muhamed",
                 "moch", "mochammad", "mochamad", "moh", "muh", "mhd", "md", "muchammad",
                 "muchamad", "mohd"),
    "abdul": ("abd", "abdoel"),
    "nur": ("noor", "nurul", "noer"),
    "siti": ("sitti", "st."),
    "achmad": ("ahmad", "akhmad", "ahmat", "achmat"),
    "yusuf": ("yusup", "yoesoef", "jusuf"),
    "rahman": ("rachman", "rohman", "rochman"),
    "rahmat": ("rachmat", "rohmat", "rochmat"),
}
_FOLD = {v: k for k, vs in _VARIANTS.items() for v in vs}
_NON_ALPHA = re.compile(r"[^a-z ]+")


def normalize_name(name: str) -> str:
    """'Hj. Siti  Nurhaliza, S.Pd.' -> 'siti nurhaliza'; 'Mohamad Rizky' -> 'muhammad rizky'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    # Titles written with dots ("S.Pd.", "Hj.") are joined before splitting into words.
    text = re.sub(r"\b([a-z])\.([a-z]{1,3})\.?", r"\1\2", text)
    words = _NON_ALPHA.sub(" ", text).split()
    kept = [_FOLD.get(w, w) for w in words if w not in _TITLES]
    return " ".join(kept or words)
