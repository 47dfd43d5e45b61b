"""Signed hand-over receipts on one desk: printed (ESC/POS to a file printer) and read back, its
QR verified; the A6 PDF rendered and its QR read; no receipt for a voided hand-over; the short
code; the CLI. Printers themselves: test_receipt_printer.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from bekasi_field.domain import receipt_codec as rc
from bekasi_field.domain.errors import BekasiError
from bekasi_field.reports.receipt_escpos import receipt_escpos
from bekasi_field.reports.receipt_pdf import write_receipt_pdf
from bekasi_field.services import journal, receipt_printer, receipts
from bekasi_field.services.site import Site


def _load(name: str, file: str):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


esc = _load("bkf_escpos_parse", "escpos_parse.py")


@pytest.fixture
def handed(site: Site, jf) -> tuple[Site, str]:
    jf.seed_roster(site.db, households=4)
    entry = journal.record_handover(
        site=site, event_id=jf.EVENT_ID, code="H002", officer_id="petugas1",
        identity=journal.IdentityCheck(ktp_seen=True, checked_by="petugas1"),
        proxy=journal.ProxyInfo(name="Sutrisno", relationship="Suami"))
    return site, entry.uuid


def test_escpos_receipt_printed_to_a_file_reads_back_and_its_qr_verifies(
        handed, jf, tmp_path) -> None:
    site, uuid = handed
    data = receipts.receipt_data(site.db, uuid)
    out = tmp_path / "printer.bin"
    receipt_printer.save_printer(site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)))
    receipt_printer.send(receipt_printer.get_printer(site.db), receipt_escpos(data))
    ticket = esc.parse(out.read_bytes())
    assert ticket.cuts == 1 and max(len(ln) for ln in ticket.lines) <= 32  # 58 mm: 32 columns
    text = " ".join(ln.strip() for ln in ticket.lines)  # wrapped values joined again
    assert "BUKTI PENERIMAAN" in text and "PEMERINTAH KOTA BEKASI" in text
    assert jf.NAMES[1] in text and "H002" in text and "BLT tunai Rp250.000" in text
    assert "Kuasa: Sutrisno (Suami)" in text and "Rahmat Hidayat (petugas1)" in text
    assert "3275********0002" in text and jf.nik_for(1) not in text
    assert f"Kode: {data.short_code}" in ticket.bold_lines
    (image,) = ticket.images
    assert image.shape[1] <= 384  # fits the 58 mm print head
    (qr,) = esc.decode_qr_image(image)
    assert qr == data.qr_text
    check = receipts.check_receipt(site.db, qr)
    assert check.ok and check.in_journal and not check.voided
    assert check.payload.entry_uuid == uuid and check.payload.proxy_name == "Sutrisno"


def test_a6_pdf_receipt_renders_and_its_qr_reads(handed, tmp_path) -> None:
    site, uuid = handed
    data = receipts.receipt_data(site.db, uuid)
    out = write_receipt_pdf(data, tmp_path / "bukti.pdf")
    pdf = pdfium.PdfDocument(str(out))
    try:
        page = pdf[0]
        w, h = page.get_size()
        assert (round(w / 72 * 25.4), round(h / 72 * 25.4)) == (105, 148)  # A6
        tp = page.get_textpage()
        text = tp.get_text_range()
        tp.close()
        bitmap = page.render(scale=300 / 72).to_numpy()
        page.close()
    finally:
        pdf.close()
    assert "BUKTI PENERIMAAN" in text and data.short_code in text
    grey = bitmap[..., :3].mean(axis=2).astype(np.uint8)
    (found,) = [r.text for r in zxingcpp.read_barcodes(grey)]
    assert receipts.check_receipt(site.db, found).ok


def test_a_voided_hand_over_gets_no_receipt_and_the_short_code_finds_it(
        handed, jf) -> None:
    site, uuid = handed
    code = receipts.receipt_data(site.db, uuid).short_code
    assert rc.hash_prefix(code) is not None
    assert receipts.find_by_short_code(site.db, code) == uuid
    assert receipts.find_by_short_code(site.db, code.lower().replace("-", "")) == uuid
    journal.void_entry(site=site, entry_uuid=uuid, supervisor_id="spv1", reason="salah KPM")
    with pytest.raises(BekasiError, match="dibatalkan"):
        receipts.receipt_data(site.db, uuid)


def test_cli_receipt_pdf_printer_and_verify(handed, tmp_path, cli) -> None:
    _, uuid = handed
    out = tmp_path / "b.bin"
    assert cli("printer", "add", "kasir", "--file", out, "--width", "80").code == 0
    r = cli("report", "receipt", uuid, "--json")
    assert r.code == 0, r.err
    assert r.json["printer"] == "kasir" and out.stat().st_size > 0
    qr = r.json["qr"]
    r = cli("report", "receipt", r.json["short_code"], "--out", tmp_path / "b.pdf", "--json")
    assert r.code == 0, r.err
    assert cli("receipt", "verify", qr).code == 0
    body = bytearray(rc.b45decode(qr[5:]))
    body[20] ^= 0x01  # one bit of the signed payload
    forged = "BKR1:" + rc.b45encode(bytes(body))
    r = cli("receipt", "verify", forged, "--json")
    assert r.code == 3 and r.json["ok"] is False
    assert r.json["problem"] in ("bad_signature", "malformed")
    r = cli("printer", "add", "x", "--network", "host:port")
    assert r.code == 3
    r = cli("report", "receipt", "no-such-entry", "--out", tmp_path / "n.pdf")
    assert r.code == 3
