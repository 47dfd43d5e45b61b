"""The verdict rule as a table: facts in, verdict out, no database (domain.verdict_rule)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from bekasi_field import i18n
from bekasi_field.domain.verdict_rule import (
    CheckFacts,
    CollectedFacts,
    EntitlementFacts,
    EventFacts,
    HouseholdCase,
    HouseholdFacts,
    KeyFacts,
    OtherSiteFacts,
    ScannedPerson,
    SlipFacts,
    decide,
)
from bekasi_field.domain.verdicts import VerdictCode as V

TODAY = dt.date(2026, 11, 23)
EVENT = EventFacts(id="EVT-KKS", name="Kartu KKS Kota Baru", programme="KKS",
                   site_kelurahan="Kota Baru", served=frozenset({"kota baru", "kranji"}),
                   item="Kartu KKS", amount=None)
HOUSE = HouseholdFacts(id="HH1", address="Jl. Melati 3", rt="003", rw="007",
                       kelurahan="Kranji", kecamatan="Bekasi Barat", status="active",
                       recipient_nik="3275015203850001", recipient_name="Siti Aminah")
ENTITLED = EntitlementFacts(item="Kartu KKS", amount=None, slip_serial="S-1")
COLLECTED = CollectedFacts(uuid="u-1", created_at="2026-11-23T02:15:00.000Z",
                           created_at_local="23-11-2026 09:15", site="Kota Baru",
                           device_id="desk-a", officer_id="PTG01", by_proxy=False,
                           proxy_name=None, learned_elsewhere=True, event_id="EVT-KKS")
CASE = HouseholdCase(household_id="HH1", code_kind="nik", household=HOUSE,
                     entitlement=ENTITLED, collected=None)
KEY = KeyFacts(revoked=False, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
SLIP = SlipFacts(decoded=True, key_id="k1", serial="S-1", household_id="HH1",
                 event_id="EVT-KKS", expires=dt.date(2026, 11, 30), key=KEY,
                 signature_ok=True, household_known=True)
SLIP_CASE = dataclasses.replace(CASE, code_kind="slip")
AWAY: dict[str, Any] = {"event_id": "EVT-KKS-BINTARA", "event_site": "Bintara"}


def facts(**changes: Any) -> CheckFacts:
    base = CheckFacts(event_id="EVT-KKS", event=EVENT, today=TODAY, case=CASE)
    return dataclasses.replace(base, **changes)


def case(**changes: Any) -> HouseholdCase:
    return dataclasses.replace(CASE, **changes)


def house(**changes: Any) -> HouseholdFacts:
    return dataclasses.replace(HOUSE, **changes)


def slip(**changes: Any) -> CheckFacts:
    return facts(slip=dataclasses.replace(SLIP, **changes), case=SLIP_CASE)


# (name, facts, verdict, household_id, details that must be there, message in Indonesian)
TABLE: list[tuple[str, CheckFacts, V, str | None, dict[str, Any], str]] = [
    ("no such event", facts(event=None), V.UNKNOWN, None, {"problem": "unknown_event"},
     "Kegiatan EVT-KKS tidak ada di perangkat ini."),
    ("code points at no household", facts(case=None), V.UNKNOWN, None, {},
     "Kode tidak ditemukan dalam data keluarga penerima."),
    ("household row gone", facts(case=case(household=None)), V.UNKNOWN, None, {}, ""),
    ("entitled, kelurahan served", facts(), V.ELIGIBLE, "HH1",
     {"item": "Kartu KKS", "slip_serial": "S-1", "nik_masked": "3275••••••••0001"},
     ("Siti Aminah berhak menerima Kartu KKS. Kode ini bukan undangan bertanda tangan: "
      "periksa KTP atau KK terlebih dahulu.")),
    ("served list folds case and spaces", facts(case=case(household=house(
        kelurahan="  KRANJI "))), V.ELIGIBLE, "HH1", {}, ""),
    ("entitled, no kelurahan on file", facts(case=case(household=house(kelurahan=" "))),
     V.ELIGIBLE, "HH1", {}, ""),
    ("entitled, kelurahan not served", facts(case=case(household=house(kelurahan="Bintara"))),
     V.WRONG_SITE, "HH1", {"other_site": "Bintara"},
     "Siti Aminah tinggal di Kelurahan Bintara, yang tidak dilayani di lokasi ini."),
    ("collected already", facts(case=case(collected=COLLECTED)), V.ALREADY_COLLECTED, "HH1",
     {"collected_uuid": "u-1", "collected_elsewhere": True, "collected_by_proxy": False},
     ("Sudah diambil pada 23-11-2026 09:15 di Kota Baru — meja lain (perangkat desk-a…), "
      "petugas PTG01 — diterima sendiri.")),
    ("collected at a named desk by a known officer", facts(case=case(collected=dataclasses.replace(
        COLLECTED, desk_name="Meja 2", officer_name="Siti Rahma"))), V.ALREADY_COLLECTED, "HH1",
     {}, ("Sudah diambil pada 23-11-2026 09:15 di Kota Baru — Meja 2, petugas Siti Rahma "
          "(PTG01) — diterima sendiri.")),
    ("collected at this very desk", facts(case=case(collected=dataclasses.replace(
        COLLECTED, own_desk=True))), V.ALREADY_COLLECTED, "HH1", {},
     ("Sudah diambil pada 23-11-2026 09:15 di Kota Baru — di meja ini, petugas PTG01 — "
      "diterima sendiri.")),
    ("collected by a proxy", facts(case=case(collected=dataclasses.replace(
        COLLECTED, by_proxy=True, proxy_name="Budi"))), V.ALREADY_COLLECTED, "HH1",
     {"collected_proxy_name": "Budi"}, ("Sudah diambil pada 23-11-2026 09:15 di Kota Baru — "
                                        "meja lain (perangkat desk-a…), petugas PTG01 — "
                                        "diterima oleh kuasa Budi.")),
    ("collected beats suspended", facts(case=case(collected=COLLECTED, household=house(
        status="suspended"))), V.ALREADY_COLLECTED, "HH1", {}, ""),
    ("suspended", facts(case=case(household=house(status="suspended"))), V.SUSPENDED, "HH1",
     {"status": "suspended"},
     "Status keluarga Siti Aminah: ditangguhkan. Bantuan tidak dapat diserahkan."),
    ("graduated", facts(case=case(household=house(status="graduated"))), V.SUSPENDED, "HH1",
     {}, "Status keluarga Siti Aminah: sudah graduasi. Bantuan tidak dapat diserahkan."),
    ("a status the app does not know is shown as it is", facts(case=case(household=house(
        status="pindah"))), V.SUSPENDED, "HH1", {},
     "Status keluarga Siti Aminah: pindah. Bantuan tidak dapat diserahkan."),
    ("suspended beats wrong site", facts(case=case(household=house(
        status="deceased", kelurahan="Bintara"))), V.SUSPENDED, "HH1", {}, ""),
    ("not entitled, entitled at another site", facts(case=case(
        entitlement=None, other_site=OtherSiteFacts("EVT-KKS-BINTARA", "Bintara"))),
     V.WRONG_SITE, "HH1", {"other_event": "EVT-KKS-BINTARA", "other_site": "Bintara"},
     "Siti Aminah terdaftar untuk mengambil di Kelurahan Bintara."),
    ("not entitled anywhere", facts(case=case(entitlement=None)), V.NOT_ENTITLED, "HH1",
     {"item": "Kartu KKS", "amount": None},
     "Siti Aminah tidak terdaftar dalam kegiatan Kartu KKS Kota Baru."),
    ("no recipient: named by household id", facts(case=case(entitlement=None, household=house(
        recipient_nik=None, recipient_name=None))), V.NOT_ENTITLED, "HH1",
     {"recipient_name": None, "nik_masked": ""},
     "HH1 tidak terdaftar dalam kegiatan Kartu KKS Kota Baru."),
    # signed slips
    ("slip: valid", slip(), V.ELIGIBLE, "HH1", {"slip_serial": "S-1"},
     "Siti Aminah berhak menerima Kartu KKS."),
    ("slip: unreadable", slip(decoded=False), V.MALFORMED, None, {},
     "Kode undangan rusak atau tidak lengkap."),
    ("slip: unknown key", slip(key=None), V.INVALID_SIGNATURE, None,
     {"problem": "unknown_key", "key_id": "k1"},
     ("Undangan tidak sah — panggil supervisor. Tanda tangannya tidak cocok: undangan ini "
      "diubah atau dipalsukan.")),
    ("slip: edited, read whole", slip(decoded=False, tampered=True), V.INVALID_SIGNATURE, None,
     {"problem": "tampered"}, ""),
    ("slip: revoked key", slip(key=dataclasses.replace(KEY, revoked=True)),
     V.INVALID_SIGNATURE, None, {"problem": "revoked_key"}, ""),
    ("slip: bad signature beats expiry", slip(signature_ok=False,
                                              expires=dt.date(2026, 1, 2)),
     V.INVALID_SIGNATURE, None, {"problem": "bad_signature"}, ""),
    ("slip: key not valid yet", slip(key=dataclasses.replace(
        KEY, valid_from=dt.date(2026, 12, 1))), V.INVALID_SIGNATURE, None,
     {"problem": "key_not_yet_valid"}, ""),
    ("slip: expired", slip(expires=dt.date(2026, 11, 22)), V.EXPIRED, "HH1",
     {"expires": "2026-11-22", "slip_serial": "S-1"}, "Undangan berlaku sampai 22-11-2026."),
    ("slip: key window ended first", slip(key=dataclasses.replace(
        KEY, valid_to=dt.date(2026, 11, 20))), V.EXPIRED, "HH1", {"expires": "2026-11-20"},
     ""),
    ("slip: on the deny list", slip(serial_revoked=True), V.REVOKED, "HH1",
     {"slip_serial": "S-1"}, "Undangan nomor S-1 sudah dibatalkan."),
    ("slip: household not on this device", slip(household_known=False), V.UNKNOWN, "HH1",
     {"slip_serial": "S-1"}, ""),
    ("slip: replaced by a re-issued slip", slip(superseded=True), V.REVOKED, "HH1",
     {"problem": "superseded"}, ""),
    ("slip: of another event, judged here", slip(event_id="EVT-BLT", superseded=True),
     V.ELIGIBLE, "HH1", {"slip_event": "EVT-BLT", "slip_serial": "S-1"}, ""),
    ("slip: collected", facts(slip=SLIP, case=dataclasses.replace(
        SLIP_CASE, collected=COLLECTED)), V.ALREADY_COLLECTED, "HH1", {"slip_serial": "S-1"},
     ""),
    # Scoped desks (DESIGN §5): other sites' events are here, their households are not.
    ("slip: another site's event, household not on this desk",
     facts(slip=dataclasses.replace(SLIP, household_known=False, **AWAY), case=None),
     V.WRONG_SITE, "HH1", {"other_site": "Bintara", "other_event": "EVT-KKS-BINTARA",
                           "slip_event": "EVT-KKS-BINTARA", "slip_serial": "S-1"},
     ("Undangan ini untuk lokasi penyaluran Kelurahan Bintara; keluarga ini tidak terdaftar "
     "di lokasi ini.")),
    ("slip: another site's event, absent household overridden here already",
     facts(slip=dataclasses.replace(SLIP, household_known=False, **AWAY), case=HouseholdCase(
         household_id="HH1", code_kind="slip", household=None, entitlement=None,
         collected=COLLECTED)), V.ALREADY_COLLECTED, "HH1",
     {"collected_uuid": "u-1", "slip_serial": "S-1"}, ""),
    ("slip: another site's event, known here but entitled only there",
     facts(slip=dataclasses.replace(SLIP, **AWAY),
           case=case(code_kind="slip", entitlement=None)),
     V.WRONG_SITE, "HH1", {"other_site": "Bintara", "other_event": "EVT-KKS-BINTARA"},
     "Siti Aminah terdaftar untuk mengambil di Kelurahan Bintara."),
    ("slip: another event of this same site, household absent",
     facts(slip=dataclasses.replace(SLIP, household_known=False, event_id="EVT-BLT",
                                    event_site=" kota  BARU"), case=None),
     V.UNKNOWN, "HH1", {"slip_serial": "S-1"}, ""),
    ("slip: bad signature of another site's slip is not sent anywhere",
     facts(slip=dataclasses.replace(SLIP, household_known=False, signature_ok=False, **AWAY),
           case=None), V.INVALID_SIGNATURE, None, {"problem": "bad_signature"}, ""),
]


@pytest.mark.parametrize(("name", "given", "code", "household", "details", "message"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_rule(name: str, given: CheckFacts, code: V, household: str | None,
              details: dict[str, Any], message: str) -> None:
    v = decide(given)
    assert v.code is code, name
    assert v.household_id == household
    assert v.event_id == "EVT-KKS"
    assert {k: v.details.get(k, "<absent>") for k in details} == details
    if message:
        assert v.message == message


def test_identity_check_asked_unless_a_slip_of_this_event_proves_the_household() -> None:
    assert decide(facts()).needs_identity_check
    assert not decide(slip()).needs_identity_check
    assert decide(slip(event_id="EVT-BLT")).needs_identity_check
    assert decide(facts()).code_kind == "nik" and decide(slip()).code_kind == "slip"


def test_where_to_send_a_person_the_desk_cannot_place() -> None:
    """A signed slip of another site says where to go; a typed code found nowhere says the
    person may belong to another site (the desk holds only its own site's families)."""
    away = decide(facts(slip=dataclasses.replace(SLIP, household_known=False, **AWAY),
                        case=None))
    assert away.allows_override and away.needs_identity_check
    assert away.next_step == ("Arahkan ke lokasi penyaluran Kelurahan Bintara; di sana ia "
                              "terdaftar. Hanya bila tidak bisa ke sana: minta persetujuan "
                              "supervisor (F8).")
    typed = decide(facts(case=None))
    assert typed.code is V.UNKNOWN and typed.message == (
        "Kode tidak ditemukan dalam data keluarga penerima.")
    assert "terdaftar di lokasi lain" in typed.next_step


def test_a_scanned_ktp_names_its_holder() -> None:
    v = decide(facts(scanned=ScannedPerson(name="Budi", nik_masked="327501******0009")))
    assert v.details["scanned_name"] == "Budi"
    assert v.details["scanned_nik_masked"] == "327501******0009"


def test_the_message_follows_the_language_without_deciding_again() -> None:
    v = decide(facts(case=case(collected=dataclasses.replace(
        COLLECTED, by_proxy=True, proxy_name="Budi"))))
    assert v.message.endswith("diterima oleh kuasa Budi.")
    i18n.set_language("en")
    try:
        assert "Budi" in v.message and "kuasa" not in v.message
        assert v.as_dict()["message"] == v.message
    finally:
        i18n.set_language("id")
    assert v.message.endswith("diterima oleh kuasa Budi.")
