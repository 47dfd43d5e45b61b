"""One definition of the journal entry: the hash, the desk's and the hub's tables and the
protocol all follow domain.journal_entry, and entries sealed by earlier versions keep their hash."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Integer, String
from sqlmodel.sql.sqltypes import AutoString

from bekasi_field.domain import journal_chain
from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.domain.journal_entry import (
    ENTRY_COLUMNS,
    ENTRY_FIELDS,
    FIELDS_BY_NAME,
    HASHED_FIELDS,
    new_entry,
)
from bekasi_field.hub.models import HubJournal
from bekasi_field.store.models import JournalEntry
from bekasi_field.sync.protocol import EntryIn

# The hashed fields of the first release: every one stays hashed, always (old hashes hold).
FIRST_RELEASE = (
    "uuid", "device_id", "seq", "kind", "event_id", "household_id", "officer_id", "site",
    "recipient_nik", "recipient_name", "is_proxy", "proxy_name", "proxy_nik",
    "proxy_relationship", "proxy_letter_seen", "identity", "evidence", "code_kind",
    "scanned_code", "verdict", "override_by", "voids_uuid", "reason", "created_at", "prev_hash",
)

# Hashed by the code before the fields were declared in one place (0ebeee6).
SEALED_HANDOVER = {
    "uuid": "3f2b8c1e-0d4a-4e5b-9a7c-1b2c3d4e5f60", "device_id": "DEV-A1", "seq": 7,
    "kind": "handover", "event_id": "EV-KKS-2026", "household_id": "HH0001",
    "officer_id": "P1", "site": "Kranji", "recipient_nik": "3275010101800001",
    "recipient_name": "Siti Aminah", "is_proxy": True, "proxy_name": "Budi", "proxy_nik": None,
    "proxy_relationship": "Anak", "proxy_letter_seen": True,
    "identity": '{"checked_by":"P1","kk_seen":false,"ktp_seen":true,'
                '"member_nik":"3275010101800001","required":true}',
    "evidence": '{"photo":"' + "a" * 64 + '"}', "code_kind": "slip",
    "scanned_code": "BKS1:XYZ", "verdict": "ELIGIBLE", "override_by": None,
    "voids_uuid": None, "reason": None, "created_at": "2026-03-01T08:15:30.123Z",
    "prev_hash": "b" * 64,
}
SEALED_HANDOVER_HASH = "05bd602c190afc1924d2f85aaa49f1411a937599e7f68009600d6129188872ef"
SEALED_VOID_HASH = "6354296e873b0d872ca42324d7c2e6a84446105809650511412eab019c89d60c"


def test_entries_sealed_by_the_first_release_keep_their_hash() -> None:
    assert entry_hash(SEALED_HANDOVER) == SEALED_HANDOVER_HASH
    void = new_entry(**{k: SEALED_HANDOVER[k] for k in (
        "uuid", "device_id", "seq", "event_id", "household_id", "officer_id", "site",
        "recipient_nik", "recipient_name", "proxy_name", "proxy_relationship", "identity",
        "evidence", "code_kind", "scanned_code", "verdict", "created_at", "prev_hash")},
        kind="void", voids_uuid="x", reason="salah")
    assert entry_hash(void) == SEALED_VOID_HASH
    assert entry_hash({**SEALED_HANDOVER, "seq": 8}) != SEALED_HANDOVER_HASH


def test_first_release_fields_stay_hashed_and_later_ones_are_marked() -> None:
    assert set(FIRST_RELEASE) <= set(HASHED_FIELDS)
    for name in FIRST_RELEASE:
        assert not FIELDS_BY_NAME[name].added_later, name
    for f in ENTRY_FIELDS:
        if f.hashed and f.name not in FIRST_RELEASE:
            assert f.added_later and not f.required, f"{f.name}: old entries' hashes would change"


def test_a_field_added_later_is_hashed_only_when_set(monkeypatch) -> None:
    monkeypatch.setattr(journal_chain, "LATE_HASHED", {"document_seen": False})
    assert entry_hash(SEALED_HANDOVER) == SEALED_HANDOVER_HASH
    assert entry_hash({**SEALED_HANDOVER, "document_seen": False}) == SEALED_HANDOVER_HASH
    sealed = entry_hash({**SEALED_HANDOVER, "document_seen": True})
    assert sealed != SEALED_HANDOVER_HASH
    assert sealed == entry_hash({**SEALED_HANDOVER, "document_seen": 1})  # as SQLite returns it


def _kind(sql_type: object) -> type:
    for sa_type, py in ((Boolean, bool), (Integer, int), (String, str), (AutoString, str)):
        if isinstance(sql_type, sa_type):
            return py
    raise AssertionError(f"unexpected column type {sql_type!r}")


def _columns(table, *, own: set[str]) -> dict[str, tuple[type, bool, bool, bool]]:
    cols = {c.name: (_kind(c.type), c.nullable, c.unique or c.primary_key or False,
                     c.index or False) for c in table.columns}
    assert set(cols) - set(ENTRY_COLUMNS) == own
    return {n: cols[n] for n in ENTRY_COLUMNS}


def test_desk_and_hub_tables_have_the_same_entry_columns() -> None:
    desk = _columns(JournalEntry.__table__, own={"received_at"})
    hub = _columns(HubJournal.__table__, own={"hub_seq", "received_at"})
    assert list(desk) == list(hub) == list(ENTRY_COLUMNS)
    for name in ENTRY_COLUMNS:
        f = FIELDS_BY_NAME[name]
        (d_type, d_null, d_unique, _), (h_type, h_null, h_unique, _) = desk[name], hub[name]
        assert d_type is h_type is f.type, name
        assert d_null is h_null is f.nullable, name
        if name in ("uuid", "hash"):
            assert d_unique and h_unique, name  # the hub and the desk both refuse a second copy
    for model in (JournalEntry, HubJournal):
        for name in ENTRY_COLUMNS:
            info = model.model_fields[name]
            f = FIELDS_BY_NAME[name]
            assert info.is_required() is f.required, (model, name)
            if not f.required:
                assert info.default == f.default, (model, name)


def test_the_protocol_carries_every_entry_field_with_its_defaults() -> None:
    assert list(EntryIn.model_fields) == list(ENTRY_COLUMNS)
    for name, info in EntryIn.model_fields.items():
        f = FIELDS_BY_NAME[name]
        assert info.is_required() is f.required, name
        if not f.required:
            assert info.default == f.default, name
    entry = new_entry(**SEALED_HANDOVER, hash=SEALED_HANDOVER_HASH)
    assert EntryIn.model_validate(entry).model_dump() == entry
    with pytest.raises(ValueError):
        EntryIn.model_validate({**entry, "prev_hash": "short"})


def test_new_entry_fills_defaults_and_refuses_unknown_fields() -> None:
    e = new_entry(uuid="u", kind="void")
    assert e["identity"] == "{}" and e["is_proxy"] is False and e["reason"] is None
    assert "seq" not in e and "hash" not in e  # the journal fills those
    assert list(e) == [n for n in ENTRY_COLUMNS if n in e]
    with pytest.raises(TypeError, match="not journal entry fields"):
        new_entry(uuid="u", colour="red")
