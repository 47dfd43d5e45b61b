"""Selecting workers for an enrolment event: filter by the rules, rank by a stated priority.

Pure and reproducible: the same candidates, event and priority give the same selection and the
same explanation. The filters run in a fixed order and each member is counted under the first
rule that leaves them out. The ranking keys come from `--priority` (default desil, occupation,
age); the last key is a draw, blake2b(event id, NIK), so ties are broken by neither name,
region nor birth date. Ties across the quota line are counted as `tie_at_quota`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from bekasi_field.domain import occupations as occ
from bekasi_field.domain.enrolment_rules import (
    AGE_MAX,
    AGE_MIN,
    age_on,
    birth_date,
    is_resident,
)

PRIORITY_KEYS = ("desil", "occupation", "age", "age_young")
DEFAULT_PRIORITY: tuple[str, ...] = ("desil", "occupation", "age")
# Filters in the order they are applied; a member is counted under the first that fails.
RULES: tuple[str, ...] = ("household_not_active", "age_out_of_range", "not_resident",
                          "not_working", "formal_worker", "already_enrolled",
                          "selected_elsewhere")


@dataclass(frozen=True)
class Candidate:
    nik: str
    household_id: str
    name: str
    no_kk: str
    desil: int | None
    occupation: str  # registry text
    registry_birth: dt.date | None
    household_status: str = "active"


@dataclass(frozen=True)
class Judged:
    candidate: Candidate
    age: int | None
    occupation_code: str
    excluded_by: str | None  # a RULES name, or None when eligible
    rank: int | None = None  # 1-based among the eligible
    selected: bool = False
    tie_at_quota: bool = False

    def why(self) -> str:
        """The explanation column: the rule that left them out, or their ranking facts."""
        if self.excluded_by:
            return self.excluded_by
        label = occ.LABELS.get(self.occupation_code, self.occupation_code or "-")
        desil = self.candidate.desil if self.candidate.desil is not None else "-"
        state = "selected" if self.selected else "over_quota"
        tie = "; tie_at_quota (draw)" if self.tie_at_quota else ""
        return f"{state}: rank {self.rank}; desil {desil}; {label}; age {self.age}{tie}"


@dataclass
class Selection:
    judged: list[Judged]
    counts: dict[str, int] = field(default_factory=dict)
    priority: tuple[str, ...] = DEFAULT_PRIORITY

    @property
    def selected(self) -> list[Judged]:
        return [j for j in self.judged if j.selected]


def parse_priority(text: str | None) -> tuple[str, ...]:
    """'desil,occupation,age' -> a tuple of known keys; ValueError names an unknown one."""
    if not text or not text.strip():
        return DEFAULT_PRIORITY
    keys = tuple(k.strip().lower().replace("-", "_") for k in text.split(",") if k.strip())
    for k in keys:
        if k not in PRIORITY_KEYS:
            raise ValueError(k)
    if len(set(keys)) != len(keys):
        raise ValueError(",".join(keys))
    return keys


def draw_key(event_id: str, nik: str) -> str:
    return hashlib.blake2b(f"{event_id}\x1f{nik}".encode(), digest_size=8).hexdigest()


def _rank_key(j: Judged, priority: tuple[str, ...], targeted: tuple[str, ...]) -> tuple[object, ...]:
    key: list[object] = []
    for p in priority:
        if p == "desil":
            key.append(j.candidate.desil if j.candidate.desil is not None else 99)
        elif p == "occupation":
            code = j.occupation_code
            key.append(targeted.index(code) if code in targeted else len(targeted))
        elif p == "age":  # older first: fewer working years left to insure themselves
            key.append(-(j.age or 0))
        elif p == "age_young":
            key.append(j.age or 0)
    return tuple(key)


def select(candidates: Iterable[Candidate], *, event_id: str, on: dt.date, quota: int | None,
           enrolled: set[str], selected_elsewhere: set[str],
           priority: tuple[str, ...] = DEFAULT_PRIORITY,
           targeted: tuple[str, ...] = occ.TARGETED,
           age_min: int = AGE_MIN, age_max: int = AGE_MAX) -> Selection:
    """Judge every candidate; the first `quota` eligible by rank are selected (all if None)."""
    judged: list[Judged] = []
    counts = dict.fromkeys(("considered", *RULES, "eligible", "selected", "over_quota",
                            "tie_at_quota"), 0)
    for c in candidates:
        counts["considered"] += 1
        born = birth_date(c.nik, c.registry_birth, on=on)
        age = age_on(born, on) if born is not None else None
        code = occ.classify(c.occupation)
        rule: str | None = None
        if c.household_status != "active":
            rule = "household_not_active"
        elif age is None or not age_min <= age <= age_max:
            rule = "age_out_of_range"
        elif not is_resident(c.no_kk, c.nik):
            rule = "not_resident"
        elif code == occ.NOT_WORKING:
            rule = "not_working"
        elif code == occ.FORMAL:
            rule = "formal_worker"
        elif c.nik in enrolled:
            rule = "already_enrolled"
        elif c.nik in selected_elsewhere:
            rule = "selected_elsewhere"
        if rule:
            counts[rule] += 1
        judged.append(Judged(c, age, code, rule))
    eligible = [j for j in judged if j.excluded_by is None]
    counts["eligible"] = len(eligible)
    keyed = sorted(((_rank_key(j, priority, targeted), draw_key(event_id, j.candidate.nik), j)
                    for j in eligible), key=lambda t: (t[0], t[1]))
    limit = len(keyed) if quota is None else max(0, quota)
    line_key = keyed[limit - 1][0] if 0 < limit <= len(keyed) else None
    # A tie across the quota line: the same priority facts on both sides, settled by the draw.
    crosses = line_key is not None and limit < len(keyed) and keyed[limit][0] == line_key
    out: dict[str, Judged] = {}
    for i, (key, _draw, j) in enumerate(keyed):
        chosen = i < limit
        tie = crosses and key == line_key
        out[j.candidate.nik] = Judged(j.candidate, j.age, j.occupation_code, None, rank=i + 1,
                                      selected=chosen, tie_at_quota=tie)
        counts["selected" if chosen else "over_quota"] += 1
        counts["tie_at_quota"] += int(tie)
    final = [out.get(j.candidate.nik, j) for j in judged]
    final.sort(key=lambda j: (j.rank is None, j.rank or 0, j.candidate.nik))
    return Selection(judged=final, counts=counts, priority=priority)
