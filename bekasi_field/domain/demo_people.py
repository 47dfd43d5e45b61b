"""Synthetic households for the demo site and for benchmarks: deterministic for a seed.

Every NIK, No. KK and KKS card number passes domain.identifiers; identifiers are unique within
one generator run (counters per region and date, not luck).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bekasi_field.domain import demo_names as pools

PROGRAMME_ODDS = (("BPNT", 0.55), ("PKH", 0.30), ("BLT", 0.20), ("BPJSTK", 0.06))
STATUS_ODDS = (("suspended", 0.02), ("graduated", 0.02), ("deceased", 0.01))
SIZE_WEIGHTS = (8, 15, 22, 25, 18, 12)  # 1..6 members
DESIL_WEIGHTS = (35, 30, 20, 15)  # desil 1..4


_BACKGROUNDS = [b for b, _ in pools.BACKGROUND_WEIGHTS]
_BACKGROUND_CUM = list(itertools.accumulate(w for _, w in pools.BACKGROUND_WEIGHTS))
_SIZES, _SIZE_CUM = list(range(1, 7)), list(itertools.accumulate(SIZE_WEIGHTS))
_DESILS, _DESIL_CUM = list(range(1, 5)), list(itertools.accumulate(DESIL_WEIGHTS))


class SynthMember(NamedTuple):
    nik: str
    name: str
    relationship: str
    sex: str
    birth_date: dt.date
    is_recipient: bool


class SynthHousehold(NamedTuple):
    id: str
    no_kk: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    kecamatan: str
    desil: int
    programs: tuple[str, ...]
    status: str
    kks_card: str | None
    members: tuple[SynthMember, ...]


@dataclass(frozen=True)
class Area:
    kelurahan: str
    kecamatan: str
    weight: float


class _Counters:
    """Serial numbers per (region, date) so identifiers never repeat."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def serial(self, key: str) -> str:
        n = self.next.get(key, 0) + 1
        if n > 9999:
            raise ValueError(f"more than 9999 identifiers for {key}")
        self.next[key] = n
        return f"{n:04d}"


def _luhn_digit(partial: str) -> str:
    """The Luhn check digit in one pass (identifiers.luhn_check_digit tries all ten)."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def _date6(d: dt.date, *, female: bool = False) -> str:
    return f"{d.day + (40 if female else 0):02d}{d.month:02d}{d.year % 100:02d}"


def _rand_date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    # Two-digit NIK years read as 19xx when in the future, so stay after 1927 and before today.
    first_year = max(first_year, 1930)
    last_year = min(last_year, 2025)
    last_year = max(last_year, first_year)
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last_year, 12, 31).toordinal()))


class HouseholdGenerator:
    """Yields SynthHousehold for a list of areas; call `households(n)` once per site."""

    def __init__(self, *, seed: int, id_prefix: str = "") -> None:
        self.rng = random.Random(seed)
        self.nik_serials = _Counters()
        self.kk_serials = _Counters()
        self.count = 0
        self.id_prefix = id_prefix

    def _name(self, bg: str, sex: str, family: str | None, old: bool) -> str:
        rng = self.rng
        male, female, second_m, second_f = pools.POOLS[bg]
        given = rng.choice(male if sex == "L" else female)
        if family is not None:
            name = f"{given} {family}"
        elif rng.random() < 0.75:
            name = f"{given} {rng.choice(second_m if sex == 'L' else second_f)}"
        else:
            name = given
        if old and bg in ("betawi", "sunda") and rng.random() < 0.12:
            name = ("H. " if sex == "L" else "Hj. ") + name
        return name

    def _nik(self, region: str, born: dt.date, sex: str) -> str:
        date6 = _date6(born, female=sex == "P")
        return region + date6 + self.nik_serials.serial(region + date6)

    def _member(self, *, bg: str, region: str, family: str | None, relationship: str, sex: str,
                born: dt.date) -> SynthMember:
        # One in seven adults still carries the NIK issued where they came from.
        if relationship in ("Kepala Keluarga", "Istri", "Suami", "Orang Tua") \
                and self.rng.random() < 0.15:
            region = self.rng.choice(pools.MIGRANT_REGIONS)
        name = self._name(bg, sex, family, born.year < 1975)
        return SynthMember(self._nik(region, born, sex), name, relationship, sex, born, False)

    def household(self, area: Area, *, main_programme: str | None = "KKS",
                  main_share: float = 0.92) -> SynthHousehold:
        rng = self.rng
        self.count += 1
        region = pools.KECAMATAN_CODES.get(area.kecamatan, "327502")
        bg = rng.choices(_BACKGROUNDS, cum_weights=_BACKGROUND_CUM)[0]
        marga = rng.choice(pools.POOLS[bg][2]) if bg == "batak" else None
        size = rng.choices(_SIZES, cum_weights=_SIZE_CUM)[0]
        head_sex = "L" if rng.random() < 0.85 or size == 1 and rng.random() < 0.5 else "P"
        head_born = _rand_date(rng, 1945, 1998)
        members = [self._member(bg=bg, region=region, family=marga, relationship="Kepala Keluarga",
                                sex=head_sex, born=head_born)]
        if size >= 2 and head_sex == "L":
            wife_born = _rand_date(rng, head_born.year - 2, head_born.year + 8)
            members.append(self._member(bg=bg, region=region, family=None, relationship="Istri",
                                        sex="P", born=wife_born))
        while len(members) < size:
            if len(members) == size - 1 and size >= 5 and rng.random() < 0.3:
                rel, born = "Orang Tua", _rand_date(rng, head_born.year - 35, head_born.year - 20)
            else:
                rel = "Anak"
                born = _rand_date(rng, head_born.year + 20, head_born.year + 45)
            sex = "L" if rng.random() < 0.5 else "P"
            members.append(self._member(bg=bg, region=region,
                                        family=marga if rel == "Anak" else None,
                                        relationship=rel, sex=sex, born=born))
        # PKH and KKS name the mother as pengurus where there is one.
        recipient = next((i for i, m in enumerate(members) if m.relationship == "Istri"), 0)
        members[recipient] = members[recipient]._replace(is_recipient=True)
        issued = _rand_date(rng, max(head_born.year + 20, 2005), 2024)
        no_kk = region + _date6(issued) + self.kk_serials.serial(region + _date6(issued))
        programmes = {p for p, odds in PROGRAMME_ODDS if rng.random() < odds}
        if main_programme and rng.random() < main_share:
            programmes.add(main_programme)
        kks = None
        if "KKS" in programmes or "PKH" in programmes or "BPNT" in programmes:
            partial = f"52642{self.count:010d}"
            kks = partial + _luhn_digit(partial)
        r = rng.random()
        status = "active"
        for name, odds in STATUS_ODDS:
            if r < odds:
                status = name
                break
            r -= odds
        streets = pools.STREETS_BY_KELURAHAN.get(area.kelurahan, pools.DEFAULT_STREETS)
        address = rng.choice(streets)
        if rng.random() < 0.55:
            address += f" {rng.choice(pools.ALLEYS)}"
        address += f" No. {rng.randint(1, 120)}"
        return SynthHousehold(
            id=f"{self.id_prefix}{region}{self.count:08d}", no_kk=no_kk, address=address,
            rt=f"{rng.randint(1, 15):03d}", rw=f"{rng.randint(1, 12):03d}",
            kelurahan=area.kelurahan, kecamatan=area.kecamatan,
            desil=rng.choices(_DESILS, cum_weights=_DESIL_CUM)[0], programs=tuple(sorted(programmes)),
            status=status, kks_card=kks, members=tuple(members),
        )

    def households(self, n: int, areas: Sequence[Area], **kw: object) -> Iterator[SynthHousehold]:
        weights = [a.weight for a in areas]
        for _ in range(n):
            area = self.rng.choices(list(areas), weights)[0]
            yield self.household(area, **kw)  # type: ignore[arg-type]
