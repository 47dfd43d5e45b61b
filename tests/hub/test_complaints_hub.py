"""Complaints from desks to a real uvicorn hub: pushed in the same sync as the journal, stored
once however often they are sent, refused when not the device's own or altered, followed up
at the hub and exported as the kelurahan's DTSEN proposals (XLSX read back)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_hub import SITE, ThreadHub, enrol_code, handover, seed_registry
from openpyxl import load_workbook
from sqlalchemy import func, select

from bekasi_field.domain.complaint_record import complaint_number
from bekasi_field.hub import complaints as hub_complaints
from bekasi_field.hub.models import HubComplaint, HubJournal
from bekasi_field.services import complaints, sync_service
from bekasi_field.services.site import Site
from bekasi_field.sync import complaints as sync_complaints
from bekasi_field.sync.client import HubClient, HubRejected

UNLISTED = "3275016504900003"


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    yield a, b
    a.close()
    b.close()


def _count(hub: ThreadHub, table: object) -> int:
    with hub.store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _complain(site: Site, code: str, **kw: str) -> complaints.RecordedComplaint:
    data = complaints.ComplaintInput(code=code, officer_id="PTG01",
                                     category=kw.pop("category", "not_listed"), **kw)
    return complaints.record_complaint(site=site, data=data,
                                       signer=complaints.device_signer(site))


def _enrolled(hub: ThreadHub, *sites: Site) -> None:
    for s in sites:
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))


def test_complaints_go_with_the_journal_and_twice_pushed_are_stored_once(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store)
    a, _ = desks
    _enrolled(hub, a)
    handover(a, "KPM-0001")
    first = _complain(a, UNLISTED, name="Siti Rahma", phone="081234567890", note="Belum didata")
    _complain(a, "KPM-0002", category="wrong_data", note="Nama salah eja")
    result = sync_service.sync_now(site=a)
    assert (result.pushed, result.complaints_pushed, result.complaints_acked) == (1, 2, 2)
    assert _count(hub, HubJournal.__table__) == 1 and _count(hub, HubComplaint.__table__) == 2
    # the mark was lost (a reply that never came): everything is sent again, stored once
    with a.db.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (sync_complaints.MARK_KEY,))
    again = sync_service.sync_now(site=a)
    assert (again.complaints_pushed, again.complaints_acked) == (0, 2)
    assert _count(hub, HubComplaint.__table__) == 2
    # and a raw replay of the same rows answers "duplicate"
    conn = a.db.raw()
    rows = sync_complaints.own_after(conn, device_id=a.device_id, after=0, limit=10)
    conn.close()
    with HubClient(hub.url, token=a.db.get_meta("hub_token")) as client:
        answer = client.push_complaints(rows)
    assert [r["status"] for r in answer["results"]] == ["duplicate", "duplicate"]
    with hub.store.read() as hconn:
        stored = hub_complaints.get_complaint(hconn, complaint_id=first.number.lower(),
                                              full_nik=True)
    assert stored is not None and stored["nik"] == UNLISTED and stored["status"] == "new"
    assert stored["number"] == complaint_number(stored["uuid"]) and stored["site"] == SITE


def test_the_hub_refuses_strangers_other_devices_and_altered_complaints(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store)
    a, b = desks
    _enrolled(hub, a, b)
    _complain(a, UNLISTED, name="Siti Rahma")
    conn = a.db.raw()
    (row,) = sync_complaints.own_after(conn, device_id=a.device_id, after=0, limit=10)
    conn.close()
    assert httpx.post(hub.url + "/api/v1/complaints",
                      json={"complaints": [row]}).status_code == 401
    with (HubClient(hub.url, token=b.db.get_meta("hub_token"), attempts=1) as client_b,
          pytest.raises(HubRejected) as refused):
        client_b.push_complaints([row])
    assert refused.value.status == 403
    with HubClient(hub.url, token=a.db.get_meta("hub_token"), attempts=1) as client_a:
        forged = {**row, "number": "ADU-AAAA-AAAA"}
        assert client_a.push_complaints([forged])["results"][0]["status"] == "refused"
        client_a.push_complaints([row])
        changed = {**row, "note": "diubah di jalan"}
        answer = client_a.push_complaints([changed])
        assert answer["results"][0]["status"] == "refused" and answer["problem"] == "changed"
        # a new complaint whose signature is not the device key's (a copied token, a forged
        # row): refused, because the hub knows the device's registered key
        fake_uuid = "00000000-0000-4000-8000-000000000001"
        forged = {**row, "uuid": fake_uuid, "number": complaint_number(fake_uuid), "seq": 2,
                  "signature": "ab" * 64}
        answer = client_a.push_complaints([forged])
    assert answer["results"][0]["status"] == "refused" and answer["problem"] == "bad_signature"
    assert _count(hub, HubComplaint.__table__) == 1
    with hub.store.read() as hconn:
        (kept,) = hub_complaints.list_complaints(hconn)
    assert kept["note"] == "" and "nik" not in kept and kept["nik_masked"].endswith("0003")
    assert kept["signature_ok"] is True


def test_follow_up_and_the_dtsen_proposals_xlsx(
        hub: ThreadHub, desks: tuple[Site, Site], cli, hub_db_url: str, tmp_path: Path) -> None:
    seed_registry(hub.store)
    a, _ = desks
    _enrolled(hub, a)
    one = _complain(a, UNLISTED, name="Siti Rahma", phone="081234567890", rt="004", rw="007",
                    address="Jl. Kenari 4", note="Belum pernah didata")
    _complain(a, "KPM-0003", category="moved", note="Pindah ke Kranji", kelurahan="Kranji")
    sync_service.sync_now(site=a)
    r = cli("hub", "complaints", "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert len(r.json["complaints"]) == 2 and r.json["counts"]["new"] == 2
    assert UNLISTED not in r.out  # masked in listings
    r = cli("hub", "complaints", "status", one.number, "--to", "proposed", "--by", "ADM01",
            "--note", "Diusulkan ke DTSEN", "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert r.json["complaint"]["status"] == "proposed"
    r = cli("hub", "complaints", "status", "ADU-ZZZZ-ZZZZ", "--to", "resolved", "--by", "ADM01",
            "--db", hub_db_url)
    assert r.code == 3
    out = tmp_path / "usulan.xlsx"
    r = cli("hub", "complaints", "export", "--kelurahan", "kota baru", "--out", out,
            "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert r.json["rows"] == 1
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert ws.max_row == 2
    assert row["NIK"] == UNLISTED and isinstance(row["NIK"], str)  # full, as text
    assert (row["Nama"], row["RT"], row["RW"], row["No. HP"]) == ("Siti Rahma", "004", "007",
                                                                  "081234567890")
    assert row["No. pengaduan"] == one.number and row["Kategori"] == "Tidak terdaftar"
    assert row["Status tindak lanjut"] == "Diusulkan ke DTSEN"
    recap = wb.worksheets[1]
    assert recap.cell(row=2, column=1).value == "Tidak terdaftar"
