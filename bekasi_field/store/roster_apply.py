"""Applying checked roster rows to the snapshot: new rows inserted, changed rows updated, the
rest counted. The same code runs in the importing process or in its writer process
(store/roster_proc.py), so it imports nothing heavier than the writers themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from functools import partial
from operator import add, itemgetter
from typing import Any, Protocol

Row = tuple[Any, ...]
_b2 = partial(hashlib.blake2b, digest_size=8)
_hexdigest = type(hashlib.blake2b()).hexdigest
_FIELDS = itemgetter(0, 1, 2, 4, 5, 6, 7, 8)  # nik, household, name, relationship, sex, birth,
# recipient (0/1), the household's content hash
_TEXT = "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%s".__mod__
_FIRST8, _TAIL = itemgetter(slice(0, 8)), itemgetter(slice(9, None))  # (row, occupation)
_OCCUPATION = itemgetter(10)


def _with_occupation(text: str, member: Row) -> str:
    occupation = member[10]
    return f"{text}\x1fpekerjaan={occupation}" if occupation else text


def seal_members(members: list[Row]) -> list[Row]:
    """Members as roster_rows leaves them (the household's content hash in slot 8) with their
    own content hash in that slot: blake2b-64 of the member's fields and the household's hash,
    so a member changes when its household does. The text hashed is the one earlier versions
    hashed, or every snapshot row would look changed on the next import; an occupation (slot
    10) is added to it only when the file gives one. (map over C functions: this runs once per
    member row.)"""
    texts = map(_TEXT, map(_FIELDS, members))
    if any(map(_OCCUPATION, members)):
        texts = map(_with_occupation, texts, members)
    digests = map(_hexdigest, map(_b2, map(str.encode, texts)))
    return list(map(add, map(_FIRST8, members), map(add, zip(digests), map(_TAIL, members))))


class RosterWriter(Protocol):
    """What apply_rows writes through: roster_sqlite.SqliteRosterWriter on a device file,
    roster_writer.CoreRosterWriter on the hub's PostgreSQL."""

    empty_at_start: bool

    def begin(self) -> None: ...
    def existing_households(self, ids: Sequence[str]) -> dict[str, str]: ...
    def existing_members(self, niks: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def insert_households(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def update_households(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def insert_members(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


@dataclass
class WriteCounts:
    """What the writes did. `late` holds (row, nik, household) for NIKs that the snapshot
    already keeps in another household: those rows are refused, not written."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    households_imported: int = 0
    households_updated: int = 0
    late: list[tuple[int, str, str]] = field(default_factory=list)

    def as_tuple(self) -> tuple[Any, ...]:
        return astuple(self)

    @classmethod
    def from_tuple(cls, values: Sequence[Any]) -> WriteCounts:
        *counts, late = values
        return cls(*counts, late=[tuple(x) for x in late])  # type: ignore[misc]


def apply_rows(writer: RosterWriter, counts: WriteCounts, households: list[Row],
               members: list[Row]) -> None:
    """Write one chunk through `writer`, inside its transaction.

    Households are (id, ..., content_hash); members are (nik, household_id, ..., content_hash,
    row, occupation or None), as roster_rows builds them."""
    if writer.empty_at_start:
        # Nothing to compare against: every row is new (duplicates were caught in the file).
        writer.insert_households(households)
        writer.insert_members(members)
        counts.households_imported += len(households)
        counts.imported += len(members)
        return
    old_hh = writer.existing_households([str(h[0]) for h in households])
    new_hh = [h for h in households if h[0] not in old_hh]
    changed_hh = [h for h in households if h[0] in old_hh and old_hh[str(h[0])] != h[-1]]
    writer.insert_households(new_hh)
    writer.update_households(changed_hh)
    counts.households_imported += len(new_hh)
    counts.households_updated += len(changed_hh)
    old = writer.existing_members([str(m[0]) for m in members])
    inserts, updates = [], []
    for m in members:
        prev = old.get(str(m[0]))
        if prev is None:
            inserts.append(m)
        elif prev[1] != m[1]:
            counts.late.append((int(m[9]), str(m[0]), prev[1]))
        elif prev[0] == m[8]:
            counts.unchanged += 1
        else:
            updates.append(m)
    writer.insert_members(inserts)
    writer.update_members(updates)
    counts.imported += len(inserts)
    counts.updated += len(updates)


class InlineSink:
    """Writes in this process: the hub's engines, and imports too small to pay for a process."""

    def __init__(self, writer: RosterWriter) -> None:
        self.writer = writer
        self.counts = WriteCounts()
        writer.begin()

    def write(self, households: list[Row], members: list[Row]) -> None:
        apply_rows(self.writer, self.counts, households, seal_members(members))

    def commit(self) -> WriteCounts:
        self.writer.commit()
        return self.counts

    def rollback(self) -> None:
        self.writer.rollback()
