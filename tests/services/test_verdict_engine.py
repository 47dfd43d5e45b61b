"""Verdicts for every code of DESIGN §4, for signed slips and plain codes (table-driven)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import small_site as h
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekasi_field.domain.base45 import b45decode, b45encode
from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.domain.slip_codec import SLIP_PREFIX
from bekasi_field.domain.verdicts import VerdictCode as V
from bekasi_field.services import keys
from bekasi_field.services.verdict_engine import VerdictEngine


@pytest.fixture
def engine(world):
    e = VerdictEngine(world.site.db)
    yield e
    e.close()


# label -> verdict in EVENT (Kota Baru serving Kota Baru + Kranji)
EXPECTED = {
    "ok": V.ELIGIBLE, "kranji": V.ELIGIBLE, "far": V.WRONG_SITE, "bintara": V.WRONG_SITE,
    "none": V.NOT_ENTITLED, "graduated": V.SUSPENDED, "deceased": V.SUSPENDED,
    "suspended": V.SUSPENDED,
}


@pytest.mark.parametrize("label", sorted(EXPECTED))
@pytest.mark.parametrize("kind", ["nik", "kk", "kks", "household"])
def test_plain_codes_identify_and_ask_for_an_identity_check(world, engine, label, kind) -> None:
    code = {"nik": world.niks, "kk": world.kk, "kks": world.kks,
            "household": world.households}[kind][label]
    v = engine.check(code, event_id=h.EVENT)
    assert v.code is EXPECTED[label]
    assert v.household_id == world.households[label]
    assert v.code_kind == kind
    assert v.needs_identity_check
    assert v.event_id == h.EVENT and v.message


@pytest.mark.parametrize("label", ["ok", "kranji", "far", "graduated", "deceased", "suspended"])
def test_signed_slips_need_no_identity_check(world, engine, label) -> None:
    v = engine.check(world.slip(label), event_id=h.EVENT)
    assert v.code is EXPECTED[label]
    assert v.code_kind == "slip" and not v.needs_identity_check
    assert v.details["slip_serial"] == world.serials[label]


def test_eligible_details_are_masked_and_complete(world, engine) -> None:
    v = engine.check(world.slip("ok"), event_id=h.EVENT)
    d = v.details
    assert d["recipient_name"] == "Siti Nurhaliza"  # the designated recipient (pengurus)
    assert d["nik_masked"].startswith("3275") and "\u2022" in d["nik_masked"]
    assert world.niks["ok"] not in str(v.as_dict())
    assert (d["rt"], d["rw"], d["kelurahan"], d["item"]) == ("001", "005", "Kota Baru",
                                                             "Kartu KKS")
    assert v.allows_handover and not v.allows_override


def test_a_scanned_nik_names_its_holder(world, engine) -> None:
    v = engine.check(h.nik(10), event_id=h.EVENT)  # the head of the "ok" household
    assert v.details["scanned_name"] == "Muhammad Rizky Pratama"
    assert v.details["recipient_name"] == "Siti Nurhaliza"
    assert v.details["scanned_nik_masked"].endswith("0010")


def test_typed_codes_with_separators_are_accepted(world, engine) -> None:
    n = world.niks["ok"]
    spaced = f" {n[:6]} {n[6:12]}-{n[12:]} "
    assert engine.check(spaced, event_id=h.EVENT).code is V.ELIGIBLE


def test_wrong_site_says_where(world, engine) -> None:
    served = engine.check(world.households["far"], event_id=h.EVENT)
    assert served.details["other_site"] == "Harapan Jaya" and served.allows_override
    other = engine.check(world.households["bintara"], event_id=h.EVENT)
    assert other.details["other_site"] == "Bintara"
    assert other.details["other_event"] == h.EVENT_BINTARA
    assert "Bintara" in other.message
    # At its own site the Bintara household is simply eligible.
    assert engine.check(world.households["bintara"], event_id=h.EVENT_BINTARA).code is V.ELIGIBLE


def test_other_programme_elsewhere_is_not_wrong_site(world, engine) -> None:
    # "none" lives in Kota Baru and has nothing anywhere; "kranji" has no BLT entitlement.
    assert engine.check(world.households["kranji"], event_id=h.EVENT_BLT).code is V.NOT_ENTITLED


@pytest.mark.parametrize("code", ["", "   ", "hello", "0000000000000000", "1234",
                                  "KPM-99999", "3275011203859999", "https://example.org/x"])
def test_unknown_plain_codes(engine, code) -> None:
    v = engine.check(code, event_id=h.EVENT)
    assert v.code is V.UNKNOWN and v.household_id is None


@pytest.mark.parametrize("code", ["BKF1:", "BKF1:hello", "bkf1:%%%", "BKF1:BB8"])
def test_prefixed_junk_is_malformed(engine, code) -> None:
    assert engine.check(code, event_id=h.EVENT).code is V.MALFORMED


def test_unknown_event_is_unknown_not_a_crash(world, engine) -> None:
    v = engine.check(world.slip("ok"), event_id="NO-SUCH-EVENT")
    assert v.code is V.UNKNOWN and v.details["problem"] == "unknown_event"


def test_forged_slips_every_character_replaced(world, engine) -> None:
    text = world.slip("ok")
    for i in range(len(SLIP_PREFIX), len(text)):
        forged = text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1:]
        v = engine.check(forged, event_id=h.EVENT)
        assert v.code in (V.MALFORMED, V.INVALID_SIGNATURE), (i, v.code)


def test_forged_slips_every_byte_flipped(world, engine) -> None:
    raw = b45decode(world.slip("ok")[len(SLIP_PREFIX):])
    for i in range(len(raw)):
        forged = bytearray(raw)
        forged[i] ^= 0x04
        v = engine.check(SLIP_PREFIX + b45encode(bytes(forged)), event_id=h.EVENT)
        assert v.code in (V.MALFORMED, V.INVALID_SIGNATURE), (i, v.code)


def test_truncated_slips(world, engine) -> None:
    text = world.slip("ok")
    for n in range(len(SLIP_PREFIX), len(text), 7):
        assert engine.check(text[:n], event_id=h.EVENT).code is V.MALFORMED


def test_slip_signed_with_an_unregistered_key(world, engine, tmp_path) -> None:
    info = keys.generate_issuer_key(keys_dir=tmp_path / "rogue")
    assert info.private_path is not None
    rogue = keys.load_signer(info.private_path)
    v = engine.check(world.slip("ok", signer=rogue), event_id=h.EVENT)
    assert v.code is V.INVALID_SIGNATURE and v.details["problem"] == "unknown_key"


def test_slip_whose_key_id_is_registered_but_signature_is_from_another_key(world, engine,
                                                                           tmp_path) -> None:
    info = keys.generate_issuer_key(keys_dir=tmp_path / "rogue")
    rogue = keys.load_signer(info.private_path)  # type: ignore[arg-type]
    rogue.key_id = world.signer.key_id  # claims the real key's id
    v = engine.check(world.slip("ok", signer=rogue), event_id=h.EVENT)
    assert v.code is V.INVALID_SIGNATURE and v.details["problem"] == "bad_signature"


def test_revoked_key(world, engine) -> None:
    with world.site.db.transaction() as conn:
        conn.execute("UPDATE issuer_keys SET revoked = 1")
    assert engine.check(world.slip("ok"), event_id=h.EVENT).code is V.INVALID_SIGNATURE


def test_key_outside_its_validity_window(world) -> None:
    later = VerdictEngine(world.site.db, today=lambda: dt.date.today() + dt.timedelta(days=800))
    earlier = VerdictEngine(world.site.db, today=lambda: dt.date.today() - dt.timedelta(days=5))
    far_slip = world.slip("ok", expires=dt.date.today() + dt.timedelta(days=900))
    assert later.check(far_slip, event_id=h.EVENT).code is V.EXPIRED
    assert earlier.check(world.slip("ok"), event_id=h.EVENT).code is V.INVALID_SIGNATURE
    later.close()
    earlier.close()


def test_expired_slip(world, engine) -> None:
    from bekasi_field.domain.site_formats import site_today

    today = site_today()  # the engine's day is the site's (WIB), not the machine clock's zone
    v = engine.check(world.slip("ok", expires=today - dt.timedelta(days=1)),
                     event_id=h.EVENT)
    assert v.code is V.EXPIRED and v.household_id == world.households["ok"]
    assert engine.check(world.slip("ok", expires=today),
                        event_id=h.EVENT).code is V.ELIGIBLE


def test_revoked_slip_serial(world, engine) -> None:
    with world.site.db.transaction() as conn:
        conn.execute("INSERT INTO revoked_slips (slip_serial, reason, revoked_at, version) "
                     "VALUES (?, 'hilang', '2026-11-20', 0)", (world.serials["ok"],))
    assert engine.check(world.slip("ok"), event_id=h.EVENT).code is V.REVOKED
    # The household can still be served on its NIK, with an identity check.
    assert engine.check(world.niks["ok"], event_id=h.EVENT).code is V.ELIGIBLE


def test_superseded_slip_serial_is_revoked(world, engine) -> None:
    v = engine.check(world.slip("ok", serial="OLD-SERIAL"), event_id=h.EVENT)
    assert v.code is V.REVOKED and v.details["problem"] == "superseded"


def test_slip_for_a_household_not_in_the_snapshot(world, engine) -> None:
    v = engine.check(world.slip("ok", household_id="KPM-NOT-HERE"), event_id=h.EVENT)
    assert v.code is V.UNKNOWN and v.code_kind == "slip"


def test_valid_slip_of_another_event_judges_the_household_here(world, engine) -> None:
    # A Bintara slip shown at Kota Baru: authentic, but for the Bintara event.
    v = engine.check(world.slip("bintara", event_id=h.EVENT_BINTARA, serial="X"),
                     event_id=h.EVENT)
    assert v.code is V.WRONG_SITE and v.details["slip_event"] == h.EVENT_BINTARA
    assert v.needs_identity_check
    # ... and at Bintara, the Kota Baru household's KKS slip points it home.
    v = engine.check(world.slip("ok"), event_id=h.EVENT_BINTARA)
    assert v.code is V.WRONG_SITE and v.details["other_site"] == "Kota Baru"
    v = engine.check(world.slip("none", event_id=h.EVENT_BLT, serial="Y"),
                     event_id=h.EVENT_BINTARA)
    assert v.code is V.NOT_ENTITLED


def _foreign_entry(world, label, *, kind="handover", voids=None, is_proxy=False, seq=1,
                   prev=GENESIS):
    e = new_entry(
        uuid=str(uuid.uuid4()), device_id="otherdevice1", seq=seq, kind=kind,
        event_id=h.EVENT, household_id=world.households[label], officer_id="P9",
        site="Kranji", recipient_nik=None, recipient_name=None, is_proxy=is_proxy,
        proxy_name="Budi" if is_proxy else None, proxy_nik=None,
        proxy_relationship="Anak" if is_proxy else None, proxy_letter_seen=is_proxy,
        identity="{}", evidence="{}", code_kind="nik", scanned_code="x",
        verdict="ELIGIBLE" if kind == "handover" else "", override_by=None,
        voids_uuid=voids, reason="salah" if voids else None,
        created_at="2026-11-23T02:15:00.000Z", prev_hash=prev,
    )
    e["hash"] = entry_hash(e)
    cols = list(e) + ["received_at"]
    with world.site.db.transaction() as conn:
        conn.execute(f"INSERT INTO journal ({', '.join(cols)}) VALUES "
                     f"({', '.join('?' for _ in cols)})", [*e.values(), "2026-11-23T03:00:00Z"])
    return e


def test_already_collected_on_another_device_with_proxy_details(world, engine) -> None:
    _foreign_entry(world, "kranji", is_proxy=True)
    v = engine.check(world.slip("kranji"), event_id=h.EVENT)
    assert v.code is V.ALREADY_COLLECTED
    d = v.details
    assert (d["collected_site"], d["collected_device"], d["collected_officer"]) == (
        "Kranji", "otherdevice1", "P9")
    assert d["collected_by_proxy"] and d["collected_proxy_name"] == "Budi"
    assert d["collected_elsewhere"] and d["collected_at"] == "2026-11-23T02:15:00.000Z"
    assert "Budi" in v.message and "Kranji" in v.message
    # Collected beats every other check: a plain code gives the same verdict.
    assert engine.check(world.niks["kranji"], event_id=h.EVENT).code is V.ALREADY_COLLECTED


def test_a_voided_handover_no_longer_counts(world, engine) -> None:
    first = _foreign_entry(world, "kranji")
    _foreign_entry(world, "kranji", kind="void", voids=first["uuid"], seq=2, prev=first["hash"])
    assert engine.check(world.slip("kranji"), event_id=h.EVENT).code is V.ELIGIBLE


def test_english_messages(world, engine) -> None:
    from bekasi_field.i18n import set_language
    set_language("en")
    try:
        v = engine.check(world.households["bintara"], event_id=h.EVENT)
        assert "registered to collect in Kelurahan Bintara" in v.message
    finally:
        set_language("id")


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.from_regex(r"BKF1:[0-9A-Z $%*+\-./:]{0,300}", fullmatch=True)
       | st.from_regex(r"[0-9 .\-]{10,24}", fullmatch=True))
def test_no_string_makes_check_raise(engine, code) -> None:
    v = engine.check(code, event_id=h.EVENT)
    assert v.code in set(V)


def test_name_search_tolerates_spelling_and_titles(world, engine) -> None:
    hits = engine.search_names("Mohamad Rizki", event_id=h.EVENT)
    assert hits and hits[0].household_id == world.households["ok"]
    assert hits[0].name == "Muhammad Rizky Pratama"
    hits = engine.search_names("dewi lestari", event_id=h.EVENT)
    assert hits[0].household_id == world.households["kranji"]  # "Hj." title ignored
    assert engine.search_names("x", event_id=h.EVENT) == []
    # Bintara lives outside the event's area and holds no entitlement in it.
    assert all(c.household_id != world.households["bintara"]
               for c in engine.search_names("Yusuf Hidayat", event_id=h.EVENT))


def test_name_search_sees_new_members(world, engine) -> None:
    assert not engine.search_names("Zulkarnaen", event_id=h.EVENT)
    with world.site.db.transaction() as conn:
        conn.execute("INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
                     "is_recipient, content_hash, version) VALUES (?,?,?,?,?,?,?,?,0)",
                     (h.nik(999), world.households["ok"], "Zulkarnaen", "zulkarnaen", "Anak",
                      "L", 0, ""))
    assert engine.search_names("Zulkarnaen", event_id=h.EVENT)[0].nik == h.nik(999)


def test_engine_serves_several_threads_and_closes_them_all(world) -> None:
    import threading

    engine = VerdictEngine(world.site.db)
    results: list[V] = []

    def work() -> None:
        results.append(engine.check(world.slip("ok"), event_id=h.EVENT).code)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    work()
    assert results == [V.ELIGIBLE] * 5
    assert len(engine._all) == 5
    engine.close()
    assert engine._all == []
    assert engine.check(world.slip("ok"), event_id=h.EVENT).code is V.ELIGIBLE  # reopens
    engine.close()
