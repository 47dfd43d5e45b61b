"""The hand-over journal: what is recorded, what is refused, voids, evidence, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
import small_site as h

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.verdicts import VerdictCode as V
from bekasi_field.i18n import tr
from bekasi_field.services import journal
from bekasi_field.services.evidence import evidence_key, evidence_path, read_evidence
from bekasi_field.services.verdict_engine import VerdictEngine


def refused(key: str, **values: object):
    """pytest.raises for the one refusal expected (a BekasiError says which rule it was)."""
    return pytest.raises(BekasiError, match=f"^{re.escape(tr(key, **values))}$")


def rows(site) -> list[dict]:
    conn = site.db.raw()
    conn.row_factory = __import__("sqlcipher3.dbapi2", fromlist=["Row"]).Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM journal ORDER BY seq")]
    finally:
        conn.close()


def test_handover_is_chained_and_moves_the_head(world) -> None:
    site = world.site
    a = journal.record_handover(site=site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1")
    b = journal.record_handover(site=site, event_id=h.EVENT, code=world.niks["kranji"],
                                officer_id="P1",
                                identity=journal.IdentityCheck(ktp_seen=True, checked_by="P1"))
    assert (a.seq, b.seq) == (1, 2)
    assert a.verdict.code is V.ELIGIBLE and a.kind == "handover"
    r1, r2 = rows(site)
    assert r1["prev_hash"] == GENESIS and r2["prev_hash"] == r1["hash"]
    assert entry_hash(r2) == r2["hash"]
    assert r1["device_id"] == site.device_id and r1["received_at"] is None
    assert r1["recipient_name"] == "Siti Nurhaliza" and r1["recipient_nik"] == world.niks["ok"]
    assert r1["site"] == "Kota Baru" and r1["code_kind"] == "slip"
    assert json.loads(r2["identity"]) == {"required": True, "member_nik": None,
                                          "ktp_seen": True, "kk_seen": False,
                                          "checked_by": "P1"}
    assert site.db.get_meta("journal_head") == f"2:{r2['hash']}"
    assert journal.verify_journal(site.db).ok


def test_second_handover_of_the_same_household_is_refused(world) -> None:
    journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                            officer_id="P1")
    with pytest.raises(journal.HandoverRefused) as err:
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.kk["ok"],
                                officer_id="P1")
    assert err.value.verdict.code is V.ALREADY_COLLECTED
    assert "SUDAH DIAMBIL" in err.value.message
    assert len(rows(world.site)) == 1


@pytest.mark.parametrize("label", ["far", "bintara", "none", "graduated"])
def test_refused_verdicts_record_nothing(world, label) -> None:
    with pytest.raises(journal.HandoverRefused):
        journal.record_handover(site=world.site, event_id=h.EVENT,
                                code=world.households[label], officer_id="P1")
    assert rows(world.site) == []
    assert world.site.db.get_meta("journal_head") is None


def test_wrong_site_goes_through_with_a_supervisor_override(world) -> None:
    with refused("journal.not_supervisor", officer="P1"):
        journal.record_handover(site=world.site, event_id=h.EVENT,
                                code=world.households["bintara"], officer_id="P1",
                                override_by="P1")  # a petugas cannot override
    entry = journal.record_handover(site=world.site, event_id=h.EVENT,
                                    code=world.households["bintara"], officer_id="P1",
                                    override_by="S1")
    assert entry.verdict.code is V.WRONG_SITE
    [r] = rows(world.site)
    assert r["override_by"] == "S1" and r["verdict"] == "WRONG_SITE"
    # An override does not open the door to anything else.
    with pytest.raises(journal.HandoverRefused):
        journal.record_handover(site=world.site, event_id=h.EVENT,
                                code=world.households["none"], officer_id="P1",
                                override_by="S1")


def test_unknown_officer_is_refused(world) -> None:
    with pytest.raises(BekasiError, match="P404"):
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P404")


def test_proxy_is_recorded_and_shown_later(world) -> None:
    proxy = journal.ProxyInfo(name="Budi Santoso", nik=h.nik(77), relationship="Anak",
                              letter_seen=True)
    journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                            officer_id="P1", proxy=proxy)
    [r] = rows(world.site)
    assert (r["is_proxy"], r["proxy_name"], r["proxy_relationship"], r["proxy_letter_seen"]) == (
        1, "Budi Santoso", "Anak", 1)
    engine = VerdictEngine(world.site.db)
    v = engine.check(world.slip("ok"), event_id=h.EVENT)
    engine.close()
    assert v.details["collected_by_proxy"] and "Budi Santoso" in v.message


def test_incomplete_proxy_and_proxy_where_not_allowed(world) -> None:
    with refused("journal.proxy_incomplete"):
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1", proxy=journal.ProxyInfo(name="Budi"))
    with world.site.db.transaction() as conn:
        conn.execute("UPDATE events SET allow_proxy = 0")
    with refused("journal.proxy_not_allowed"):
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1",
                                proxy=journal.ProxyInfo(name="Budi", relationship="Anak"))
    assert rows(world.site) == []


def test_evidence_is_stored_by_hash_before_the_entry(world, tmp_path) -> None:
    photo = os.urandom(5000)
    sig_file = tmp_path / "ttd.png"
    sig_file.write_bytes(b"\x89PNG signature strokes")
    with world.site.db.transaction() as conn:
        conn.execute("UPDATE events SET require_photo = 1, require_signature = 1")
    with refused("journal.signature_required"):
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1", photo=photo)
    journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                            officer_id="P1", photo=photo, signature=sig_file)
    [r] = rows(world.site)
    ev = json.loads(r["evidence"])
    assert ev["photo"] == hashlib.sha256(photo).hexdigest()
    ev_dir = world.site.layout.evidence_dir
    key = evidence_key(world.site)
    assert read_evidence(ev_dir, ev["photo"], key=key) == photo
    assert read_evidence(ev_dir, ev["signature"], key=key) == sig_file.read_bytes()
    # On disk: sealed, not the plaintext (and not even a slice of it).
    for name, plain in (("photo", photo), ("signature", sig_file.read_bytes())):
        stored = evidence_path(ev_dir, ev[name]).read_bytes()
        assert plain[:16] not in stored and len(stored) == len(plain) + 4 + 12 + 16
    assert not list(ev_dir.rglob(".tmp-*"))


def test_void_by_a_supervisor_lets_the_household_collect_again(world) -> None:
    first = journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                    officer_id="P1")
    with refused("journal.not_supervisor", officer="P1"):
        journal.void_entry(site=world.site, entry_uuid=first.uuid, supervisor_id="P1",
                           reason="salah orang")
    with refused("journal.reason_required"):
        journal.void_entry(site=world.site, entry_uuid=first.uuid, supervisor_id="S1",
                           reason="  ")
    void = journal.void_entry(site=world.site, entry_uuid=first.uuid, supervisor_id="S1",
                              reason="salah orang")
    assert (void.kind, void.seq, void.verdict) == ("void", 2, None)
    with refused("journal.already_void", uuid=first.uuid):  # twice
        journal.void_entry(site=world.site, entry_uuid=first.uuid, supervisor_id="S1",
                           reason="lagi")
    with refused("journal.not_handover", uuid=void.uuid):  # a void is not voidable
        journal.void_entry(site=world.site, entry_uuid=void.uuid, supervisor_id="S1",
                           reason="x")
    again = journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                    officer_id="P1")
    assert again.seq == 3
    r = rows(world.site)
    assert [x["kind"] for x in r] == ["handover", "void", "handover"]
    assert r[0]["officer_id"] == "P1"  # the voided entry itself is untouched
    assert journal.verify_journal(world.site.db).as_dict() == {
        "ok": True, "entries": 3, "first_bad": None}


def test_two_processes_cannot_both_hand_over(world) -> None:
    code = world.slip("second")
    env = {**os.environ, "BEKASI_FIELD_HOME": str(world.site.layout.root)}
    cmd = [sys.executable, "-m", "bekasi_field", "handover", code, "--event", h.EVENT,
           "--officer", "P1", "--pin", h.PIN, "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(3)]
    results = [(p.wait(timeout=120), p.stdout.read()) for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    codes = sorted(rc for rc, _ in results)
    assert codes == [0, 3, 3]
    verdicts = sorted(json.loads(out)["verdict"] for _, out in results)
    assert verdicts == ["ALREADY_COLLECTED", "ALREADY_COLLECTED", "ELIGIBLE"]
    assert len(rows(world.site)) == 1


# ---------------------------------------------------------------- CLI

def test_cli_check_json(world, cli) -> None:
    r = cli("check", world.slip("ok"), "--event", h.EVENT, "--json")
    assert r.code == 0
    assert r.json["verdict"] == "ELIGIBLE" and r.json["household_id"] == world.households["ok"]
    assert r.json["event_id"] == h.EVENT and "Siti Nurhaliza" in r.json["message"]
    r = cli("check", "nonsense", "--event", h.EVENT)
    assert r.code == 0 and "TIDAK DIKENAL" in r.out
    r = cli("check", "x", "--event", "NOPE", "--json")
    assert r.code == 3 and "NOPE" in r.err and r.out == ""


def test_cli_handover_refused_and_recorded(world, cli) -> None:
    r = cli("handover", world.niks["ok"], "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--json")
    assert r.code == 3 and r.json["verdict"] == "ELIGIBLE" and r.json["entry_uuid"] is None
    assert "KTP" in r.err  # a plain code needs the identity check ticked
    r = cli("handover", world.niks["ok"], "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--ktp-seen", "--proxy-name", "Budi", "--proxy-relationship", "Anak",
            "--proxy-letter", "--json")
    assert r.code == 0, r.err
    assert r.json["verdict"] == "ELIGIBLE" and r.json["seq"] == 1
    uuid = r.json["entry_uuid"]
    r = cli("handover", world.slip("ok"), "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--json")
    assert r.code == 3 and r.json["verdict"] == "ALREADY_COLLECTED"
    assert r.json["details"]["collected_uuid"] == uuid
    r = cli("handover", world.slip("ok"), "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN)
    assert r.code == 3 and "SUDAH DIAMBIL" in r.err and r.out == ""


def test_cli_override_needs_the_supervisor_pin(world, cli) -> None:
    code = world.households["far"]
    base = ("handover", code, "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN, "--kk-seen",
            "--json")
    r = cli(*base)
    assert r.code == 3 and r.json["verdict"] == "WRONG_SITE"
    r = cli(*base, "--override-by", "S1", "--supervisor-pin", "0000")
    assert r.code == 3 and rows(world.site) == []
    r = cli(*base, "--override-by", "S1", "--supervisor-pin", h.SUPERVISOR_PIN,
            "--override-reason", "pindah domisili")
    assert r.code == 0 and r.json["verdict"] == "WRONG_SITE"
    [row] = rows(world.site)  # who approved and why, in the entry (the BAST prints both)
    assert (row["override_by"], row["reason"]) == ("S1", "pindah domisili")


def test_cli_void_and_verify(world, cli) -> None:
    r = cli("handover", world.slip("ok"), "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--json")
    uuid = r.json["entry_uuid"]
    r = cli("void", uuid, "--supervisor", "S1", "--pin", "9999", "--reason", "salah")
    assert r.code == 3
    r = cli("void", uuid, "--supervisor", "S1", "--pin", h.SUPERVISOR_PIN, "--reason",
            "salah orang", "--json")
    assert r.code == 0 and r.json["voids_uuid"] == uuid and r.json["seq"] == 2
    r = cli("journal", "verify", "--json")
    assert r.code == 0 and r.json == {"ok": True, "entries": 2, "first_bad": None}
    r = cli("journal", "verify")
    assert r.code == 0 and "utuh" in r.out


def test_override_elsewhere_counts_at_the_home_site_and_the_reverse(world) -> None:
    from bekasi_field.services import journal as j

    entry = j.record_handover(site=world.site, event_id=h.EVENT,
                              code=world.households["bintara"], officer_id="P1",
                              override_by="S1")
    engine = VerdictEngine(world.site.db)
    try:
        home = engine.check(world.households["bintara"], event_id=h.EVENT_BINTARA)
        assert home.code is V.ALREADY_COLLECTED
        assert home.details["collected_event"] == h.EVENT
        assert home.details["collected_uuid"] == entry.uuid
        # Collected at home first, then shown at Kota Baru: no override can double it.
        j.record_handover(site=world.site, event_id=h.EVENT_BINTARA,
                          code=world.households["ok"], officer_id="P1", override_by="S1")
        assert engine.check(world.households["ok"], event_id=h.EVENT).code is \
            V.ALREADY_COLLECTED
        # Another programme is another entitlement.
        assert engine.check(world.households["ok"], event_id=h.EVENT_BLT).code is V.ELIGIBLE
    finally:
        engine.close()


def test_cli_journal_list_shows_voids(world, cli) -> None:
    assert cli("journal", "list").out.strip() == "Jurnal masih kosong."
    a = journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1")
    journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("kranji"),
                            officer_id="P1",
                            proxy=journal.ProxyInfo(name="Budi", relationship="Anak"))
    journal.void_entry(site=world.site, entry_uuid=a.uuid, supervisor_id="S1", reason="salah")
    r = cli("journal", "list", "--event", h.EVENT, "--json")
    assert r.code == 0
    entries = r.json["entries"]
    assert [e["kind"] for e in entries] == ["void", "handover", "handover"]
    assert entries[2]["uuid"] == a.uuid and entries[2]["voided"]
    assert entries[1]["is_proxy"] and entries[1]["proxy_name"] == "Budi"
    assert not entries[1]["voided"]
    r = cli("journal", "list", "--limit", "1")
    assert r.code == 0 and len(r.out.strip().splitlines()) == 1 and a.uuid in r.out
    assert world.niks["ok"] not in r.out


def test_closed_event_takes_no_more_handovers(world) -> None:
    with world.site.db.transaction() as conn:
        conn.execute("UPDATE events SET status = 'closed' WHERE id = ?", (h.EVENT,))
    with pytest.raises(BekasiError, match="ditutup"):
        journal.record_handover(site=world.site, event_id=h.EVENT, code=world.slip("ok"),
                                officer_id="P1")
    assert rows(world.site) == []


def test_cli_handover_with_photo_signature_and_identity(world, cli, tmp_path) -> None:
    photo, ttd = tmp_path / "foto.jpg", tmp_path / "ttd.png"
    photo.write_bytes(b"\xff\xd8 photo bytes")
    ttd.write_bytes(b"\x89PNG strokes")
    r = cli("handover", world.kks["kranji"], "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--member-nik", world.niks["kranji"], "--ktp-seen", "--checked-by", "P1",
            "--photo", photo, "--signature", ttd, "--json")
    assert r.code == 0, r.err
    [row] = rows(world.site)
    ev = json.loads(row["evidence"])
    assert ev == {"photo": hashlib.sha256(photo.read_bytes()).hexdigest(),
                  "signature": hashlib.sha256(ttd.read_bytes()).hexdigest()}
    assert row["code_kind"] == "kks" and row["recipient_nik"] == world.niks["kranji"]
    r = cli("handover", world.slip("ok"), "--event", h.EVENT, "--officer", "P1", "--pin", h.PIN,
            "--photo", tmp_path / "missing.jpg")
    assert r.code == 3 and "missing.jpg" in r.err
    r = cli("handover", world.slip("ok"), "--event", h.EVENT, "--officer", "NOBODY",
            "--pin", "0000")
    assert r.code == 3 and "NOBODY" in r.err
    assert len(rows(world.site)) == 1


def test_cli_search_by_name_masks_the_nik(world, cli) -> None:
    r = cli("search", "Moh. Riski Pratama", "--event", h.EVENT, "--json")
    assert r.code == 0
    top = r.json["candidates"][0]
    assert top["household_id"] == world.households["ok"] and top["name"].startswith("Muhammad")
    assert world.niks["ok"] not in r.out and "\u2022" in top["nik_masked"]
    assert cli("search", "Zzzzqqq", "--event", h.EVENT).out.strip() == "Tidak ada nama yang mirip."


def test_the_member_whose_nik_was_scanned_is_the_recipient(world) -> None:
    head = h.nik(10)  # "ok" household: the head of family, not the designated recipient
    journal.record_handover(site=world.site, event_id=h.EVENT, code=head, officer_id="P1",
                            identity=journal.IdentityCheck(ktp_seen=True))
    [r] = rows(world.site)
    assert (r["recipient_nik"], r["recipient_name"]) == (head, "Muhammad Rizky Pratama")
