"""The kelurahan and kecamatan of Kota Bekasi (resources/data/kota_bekasi_wilayah.csv).

Roster rows and events name kelurahan as people type them ("KOTA BARU", "kotabaru"); we store
one canonical spelling so that an event's served kelurahan match the households exactly.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache

from bekasi_field.paths import resource_path

REGION_CODE = "3275"  # Kota Bekasi (Jawa Barat 32, Kota Bekasi 75)


def _key(name: str) -> str:
    # "Kota Baru", "KOTA  BARU", "Kotabaru", "Kel. Kota Baru" all mean the same kelurahan.
    text = name.strip().lower()
    for prefix in ("kelurahan ", "kel. ", "kel ", "desa ", "kecamatan ", "kec. ", "kec "):
        text = text.removeprefix(prefix)
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Wilayah:
    kelurahan_to_kecamatan: dict[str, str]  # canonical kelurahan -> canonical kecamatan
    _kel_keys: dict[str, str]
    _kec_keys: dict[str, str]

    @property
    def kelurahan(self) -> list[str]:
        return sorted(self.kelurahan_to_kecamatan)

    def canonical_kelurahan(self, name: str) -> str | None:
        return self._kel_keys.get(_key(name))

    def canonical_kecamatan(self, name: str) -> str | None:
        return self._kec_keys.get(_key(name))

    def close_kelurahan(self, name: str, n: int = 4) -> list[str]:
        keys = difflib.get_close_matches(_key(name), list(self._kel_keys), n=n, cutoff=0.5)
        return [self._kel_keys[k] for k in keys]


@cache
def wilayah() -> Wilayah:
    path = resource_path("data", "kota_bekasi_wilayah.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [(r["kecamatan"].strip(), r["kelurahan"].strip()) for r in csv.DictReader(fh)]
    kel = {k: kec for kec, k in rows}
    return Wilayah(
        kelurahan_to_kecamatan=kel,
        _kel_keys={_key(k): k for k in kel},
        _kec_keys={_key(kec): kec for kec in kel.values()},
    )
