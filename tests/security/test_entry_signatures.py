"""A rewritten unsynced entry whose hash and journal head were recomputed: the chain alone
cannot tell, the device's signature can. `journal verify` and the hub both refuse it."""

from __future__ import annotations

from helpers_hub import ThreadHub, handover, rewrite_last_entry
from sqlalchemy import select

from bekasi_field.hub.models import HubDevice, HubJournal, HubQuarantine
from bekasi_field.services import sync_service
from bekasi_field.services.device_key import device_key, public_key_of, verify
from bekasi_field.services.journal import verify_journal
from bekasi_field.services.site import Site
from bekasi_field.store import opener
from bekasi_field.sync import device_journal as dj
from bekasi_field.sync.client import HubClient


def test_the_device_key_signs_and_its_public_half_is_registered(hub: ThreadHub,
                                                                desk: Site) -> None:
    key = device_key(desk.db)
    assert key.public_hex == public_key_of(desk.db)
    assert verify(key.public_hex, b"receipt", key.sign(b"receipt"))
    assert not verify(key.public_hex, b"receipt!", key.sign(b"receipt"))
    assert "private" not in repr(key) and key.public_hex[:12] in repr(key)
    with hub.store.read() as conn:
        registered = conn.execute(select(HubDevice.__table__.c.public_key).where(
            HubDevice.__table__.c.id == desk.device_id)).scalar_one()
    assert registered == key.public_hex
    handover(desk, "KPM-0001")
    assert verify_journal(desk.db).ok
    sync_service.sync_now(site=desk)
    with hub.store.read() as conn:
        stored = conn.execute(select(HubJournal.__table__.c.signature)).scalars().all()
    assert len(stored) == 1 and stored[0]


def test_a_rehashed_rewrite_fails_verify_and_the_hub_quarantines_it(hub: ThreadHub,
                                                                    desk: Site) -> None:
    handover(desk, "KPM-0001")
    handover(desk, "KPM-0002")
    assert verify_journal(desk.db).ok
    rewrite_last_entry(desk, household_id="KPM-0003", scanned_code="KPM-0003")
    check = verify_journal(desk.db)
    assert not check.ok
    assert check.first_bad is not None and check.first_bad.problem == "bad_signature"
    assert check.first_bad.seq == 2
    # Pushed anyway (by a client that skips the desk's own check): the hub refuses it too.
    conn = desk.db.raw()
    try:
        batch = dj.own_entries_after(conn, device_id=desk.device_id, after=0, limit=10)
    finally:
        conn.close()
    with HubClient(hub.url, token=desk.db.get_meta("hub_token")) as client:
        answer = client.push(batch)
    assert answer.problem == "bad_signature" and answer.acked_seq == 0
    assert {r.status for r in answer.results} == {"quarantined"}
    with hub.store.read() as conn:
        assert conn.execute(select(HubJournal.__table__)).first() is None
        q = conn.execute(select(HubQuarantine.__table__)).mappings().one()
    assert q["problem"] == "bad_signature" and q["seq"] == 2


def test_an_unsigned_entry_is_refused_by_the_hub(hub: ThreadHub, desk: Site) -> None:
    handover(desk, "KPM-0001")
    conn = desk.db.raw()
    try:
        batch = dj.own_entries_after(conn, device_id=desk.device_id, after=0, limit=10)
    finally:
        conn.close()
    batch[0]["signature"] = None
    with HubClient(hub.url, token=desk.db.get_meta("hub_token")) as client:
        answer = client.push(batch)
    assert answer.problem == "unsigned" and answer.acked_seq == 0


def test_a_registered_key_cannot_be_replaced_with_the_token(hub: ThreadHub, desk: Site) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from bekasi_field.services.device_key import DeviceKey
    from bekasi_field.sync.client import HubRejected
    other = DeviceKey(desk.device_id, Ed25519PrivateKey.generate())
    with HubClient(hub.url, token=desk.db.get_meta("hub_token")) as client:
        client.register_key(device_key(desk.db).public_hex)  # the same key again: fine
        try:
            client.register_key(other.public_hex)
        except HubRejected as exc:
            assert exc.status == 409
        else:
            raise AssertionError("a second key was accepted")


def test_a_desk_from_before_signing_signs_its_entries_when_its_key_is_made(
        tmp_path, hub: ThreadHub) -> None:
    from helpers_hub import enrol_code, seed_registry
    seed_registry(hub.store, households=3)
    site = Site.open(tmp_path / "old-desk")
    try:
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        handover(site, "KPM-0001")
        # As an older version left things: no device key, unsigned entries, none at the hub.
        raw = opener.connect(site.db.file, autocommit=False)
        raw.execute("UPDATE journal SET signature = NULL")
        raw.execute("DELETE FROM meta WHERE key = 'device_signing_key'")
        raw.execute("UPDATE devices SET public_key = NULL")
        raw.commit()
        raw.close()
        with hub.store.write() as conn:
            conn.execute(HubDevice.__table__.update().values(public_key=None))
        assert verify_journal(site.db).ok  # no key yet: nothing to check against
        result = sync_service.sync_now(site=site)
        assert result.pushed == 1 and result.refused == 0
        assert verify_journal(site.db).ok
        with hub.store.read() as conn:
            assert conn.execute(select(HubDevice.__table__.c.public_key)).scalar_one() \
                == public_key_of(site.db)
    finally:
        site.close()


def _rewrite_first_and_rehash_to_the_head(site: Site, **changes: object) -> None:
    """Edit the first entry, then re-hash it and every later entry (links mended), head moved:
    every hash and link checks; only the signatures can tell."""
    from bekasi_field.domain.journal_chain import entry_hash
    conn = opener.connect(site.db.file, autocommit=False)
    conn.row_factory = opener.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM journal ORDER BY seq")]
    prev = rows[0]["prev_hash"]
    for i, row in enumerate(rows):
        if i == 0:
            row.update(changes)
        row["prev_hash"] = prev
        row["hash"] = prev = entry_hash(row)
        conn.execute("UPDATE journal SET prev_hash = ?, hash = ?, household_id = ?, "
                     "scanned_code = ? WHERE uuid = ?", (row["prev_hash"], row["hash"],
                                                         row["household_id"],
                                                         row["scanned_code"], row["uuid"]))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'journal_head'",
                 (f"{rows[-1]['seq']}:{prev}",))
    conn.commit()
    conn.close()


def test_sync_checks_one_signature_not_one_per_entry_and_still_refuses_a_rewrite(
        hub: ThreadHub, desk: Site, monkeypatch) -> None:
    """The check before every push verifies the newest entry's signature only (the hash chain
    ties all content to it), so a desk with a long journal does not re-verify its whole
    history every few seconds; a rewrite re-hashed to the head is refused all the same."""
    import pytest

    from bekasi_field.domain import entry_signature
    for code in ("KPM-0001", "KPM-0002", "KPM-0003"):
        handover(desk, code)
    calls: list[int] = []
    real = entry_signature._verified
    monkeypatch.setattr(entry_signature, "_verified",
                        lambda e, key: calls.append(int(e["seq"])) or real(e, key))
    sync_service.check_journal(desk.db)
    assert calls == [3]
    assert verify_journal(desk.db).ok and calls[1:] == [1, 2, 3]  # `journal verify`: all
    _rewrite_first_and_rehash_to_the_head(desk, household_id="KPM-0004",
                                          scanned_code="KPM-0004")
    with pytest.raises(sync_service.JournalBroken) as broken:
        sync_service.sync_now(site=desk)
    assert (broken.value.problem.problem, broken.value.problem.seq) == ("bad_signature", 3)
    with hub.store.read() as conn:
        assert conn.execute(select(HubJournal.__table__)).first() is None
