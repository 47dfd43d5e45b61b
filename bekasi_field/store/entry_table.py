"""The journal entry's columns as an SQLModel base, built from domain.journal_entry.

The desk's `journal` and the hub's `hub_journal` each subclass one of these bases (each table
its own, so no Column object is shared) and add only what is theirs: keys, indexes and the
columns that never travel (received_at, hub_seq).
"""

from __future__ import annotations

import types
from collections.abc import Collection
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from bekasi_field.domain.journal_entry import ENTRY_FIELDS, EntryField


def _field(f: EntryField, *, primary_key: bool, index: bool, unique: bool,
           long_text: bool) -> Any:
    kw: dict[str, Any] = {} if f.required else {"default": f.default}
    if long_text and f.long_text:
        if primary_key or index or unique:
            raise ValueError(f"{f.name}: a TEXT column here carries no key or index")
        return Field(**kw, sa_column=Column(Text, nullable=f.nullable))
    if primary_key:
        kw["primary_key"] = True
    if index:
        kw["index"] = True
    if unique:
        kw["unique"] = True
    return Field(**kw)


def entry_columns(name: str, *, base: type[SQLModel], module: str, primary_key: str | None = None,
                  indexed: Collection[str] = (), unique: Collection[str] = (),
                  long_text: bool = False) -> type[SQLModel]:
    """A non-table SQLModel class with one attribute per entry field, in ENTRY_FIELDS order.

    `long_text` stores the JSON document fields as TEXT (the hub: PostgreSQL tells the two
    apart); the desk keeps SQLite's VARCHAR of its frozen v1 schema.
    """
    names = {f.name for f in ENTRY_FIELDS}
    for group in (indexed, unique, [primary_key] if primary_key else []):
        stray = set(group) - names
        if stray:
            raise ValueError(f"not journal entry fields: {sorted(stray)}")

    def body(ns: dict[str, Any]) -> None:
        ns["__module__"] = module
        ns["__qualname__"] = name
        ns["__annotations__"] = {
            f.name: (f.type | None) if f.nullable else f.type for f in ENTRY_FIELDS}
        for f in ENTRY_FIELDS:
            ns[f.name] = _field(f, primary_key=f.name == primary_key, index=f.name in indexed,
                                unique=f.name in unique, long_text=long_text)

    return types.new_class(name, (base,), {}, body)
