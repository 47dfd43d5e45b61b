"""A receipt printed at desk A, verified offline at desk B of the same site (B learned A's
public key from the hub at its last sync), refused when altered, and refused by a desk that
never learned A's key."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import cbor2
import pytest
from helpers_hub import ThreadHub, enrol_code, handover, seed_registry

from bekasi_field.domain import receipt_codec as rc
from bekasi_field.domain.errors import BekasiError
from bekasi_field.reports.receipt_escpos import receipt_escpos
from bekasi_field.services import receipt_printer, receipts, sync_service
from bekasi_field.services.site import Site


def _escpos_parser():
    name = "bkf_escpos_parse"
    if name not in sys.modules:
        path = Path(__file__).parent.parent / "reports" / "escpos_parse.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


esc = _escpos_parser()


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Site, Site, Site]]:
    sites = tuple(Site.open(tmp_path / f"desk-{n}") for n in "abc")
    yield sites  # type: ignore[misc]
    for s in sites:
        s.close()


def _printed_qr(site: Site, uuid: str, out: Path) -> str:
    """Print A's receipt to a file printer and read the QR back from the ESC/POS raster."""
    receipt_printer.save_printer(site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)))
    data = receipts.receipt_data(site.db, uuid)
    receipt_printer.send(receipt_printer.get_printer(site.db),
                         receipt_escpos(data, width_mm=58))
    (image,) = esc.parse(out.read_bytes()).images
    (text,) = esc.decode_qr_image(image)
    return text


def _altered(text: str, **changes: object) -> str:
    """The receipt with a payload field changed and the original signature kept."""
    body, signature = cbor2.loads(rc.b45decode(text[len(rc.RECEIPT_PREFIX):]))
    fields = cbor2.loads(body)
    index = {"household_id": 5, "item": 6, "amount": 7, "recipient_name": 10}
    for key, value in changes.items():
        fields[index[key]] = value
    return rc.RECEIPT_PREFIX + rc.b45encode(cbor2.dumps([cbor2.dumps(fields), signature]))


def test_a_receipt_from_desk_a_verifies_offline_on_desk_b_and_altered_is_refused(
        hub: ThreadHub, desks: tuple[Site, Site, Site], tmp_path: Path) -> None:
    seed_registry(hub.store)
    a, b, c = desks
    for s in (a, b):
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    entry = handover(a, "KPM-0002")
    sync_service.sync_now(site=b)  # before A pushed anything: B learns A's key all the same
    hub.stop()  # from here on nobody reaches the hub
    qr = _printed_qr(a, entry.uuid, tmp_path / "a.bin")
    check = receipts.check_receipt(b.db, qr)
    assert check.ok and not check.in_journal  # signature good; the entry not synced yet
    assert check.payload.device_id == a.device_id and check.payload.household_id == "KPM-0002"
    for forged in (_altered(qr, recipient_name="Orang Lain"), _altered(qr, amount=9_000_000),
                   _altered(qr, household_id="KPM-0005")):
        refused = receipts.check_receipt(b.db, forged)
        assert not refused.ok and refused.problem == "bad_signature"
    assert receipts.check_receipt(b.db, qr[:-3] + "AAA").ok is False
    unknown = receipts.check_receipt(c.db, qr)  # a desk that never synced with this site
    assert not unknown.ok and unknown.problem == "unknown_device"


def test_once_synced_desk_b_matches_the_receipt_with_its_journal_and_sees_a_void(
        hub: ThreadHub, desks: tuple[Site, Site, Site], tmp_path: Path, cli) -> None:
    from bekasi_field.services.journal import void_entry
    seed_registry(hub.store)
    a, b, _ = desks
    for s in (a, b):
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    entry = handover(a, "KPM-0003")
    qr = _printed_qr(a, entry.uuid, tmp_path / "a.bin")
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    check = receipts.check_receipt(b.db, qr)
    assert check.ok and check.in_journal and not check.voided
    code = check.payload.short_code
    assert receipts.find_by_short_code(b.db, code) == entry.uuid
    with pytest.raises(BekasiError, match="hanya meja itu"):
        receipts.receipt_data(b.db, entry.uuid)  # only the recording desk signs its receipt
    void_entry(site=a, entry_uuid=entry.uuid, supervisor_id="SPV01", reason="salah KPM")
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    check = receipts.check_receipt(b.db, qr)
    assert check.ok and check.voided
    r = cli("receipt", "verify", qr, "--home", b.layout.root, "--json")
    assert r.code == 0 and r.json["voided"] is True


def test_site_device_keys_go_to_enrolled_desks_of_the_same_site_only(
        hub: ThreadHub, desks: tuple[Site, Site, Site]) -> None:
    import httpx

    from bekasi_field.services.device_key import device_key
    seed_registry(hub.store)
    a, b, c = desks
    sync_service.sync_now(site=a, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    sync_service.sync_now(site=c, hub_url=hub.url,
                          enrol_code=enrol_code(hub.store, site="Bintara"))
    url = hub.url + "/api/v1/site/device-keys"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    seen_by_c = httpx.get(url, headers={"Authorization": f"Bearer {c.db.get_meta('hub_token')}"})
    assert seen_by_c.status_code == 200
    assert a.device_id not in seen_by_c.json()["device_keys"]  # another site's desk
    sync_service.sync_now(site=b, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    from bekasi_field.services.device_key import public_key_of
    assert public_key_of(b.db, a.device_id) == device_key(a.db).public_hex
    assert public_key_of(c.db, a.device_id) is None
