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
