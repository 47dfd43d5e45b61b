"""End to end on the demo site (services.demo.build_demo): print slips, read a QR back from the PDF,
hand over on it, see ALREADY_COLLECTED, a Bintara household WRONG_SITE, the chain intact."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from bekasi_field.services.demo import build_demo


@pytest.fixture
def demo(home):
    return build_demo(home=home, households=60, seed=7)


def _first_page_codes(pdf_path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        img = np.array(page.render(scale=170 / 72, grayscale=True).to_pil().convert("L"))
        page.close()
    finally:
        pdf.close()
    return [r.text for r in zxingcpp.read_barcodes(img)]


def test_demo_slip_to_handover_to_already_collected(demo, cli, tmp_path) -> None:
    petugas = next(o for o in demo.officers if o.role == "petugas")
    r = cli("slips", demo.event_id, "--out", tmp_path / "undangan.pdf", "--json")
    assert r.code == 0 and r.json["slips"] == demo.entitlements
    codes = _first_page_codes(tmp_path / "undangan.pdf")
    assert len(codes) == min(8, demo.entitlements)
    code = codes[0]
    r = cli("check", code, "--event", demo.event_id, "--json")
    assert r.json["verdict"] == "ELIGIBLE" and not r.json["needs_identity_check"]
    r = cli("handover", code, "--event", demo.event_id, "--officer", petugas.id,
            "--pin", petugas.pin, "--json")
    assert r.code == 0 and r.json["seq"] == 1
    r = cli("check", code, "--event", demo.event_id, "--json")
    assert r.json["verdict"] == "ALREADY_COLLECTED"
    assert r.json["details"]["collected_site"] == "Kota Baru"
    assert r.json["details"]["collected_officer"] == petugas.id
    r = cli("journal", "verify", "--json")
    assert r.json == {"ok": True, "entries": 1, "first_bad": None}


def test_demo_bintara_household_is_wrong_site_at_kota_baru(demo, cli, site) -> None:
    conn = site.db.raw()
    try:
        hid = conn.execute("SELECT household_id FROM entitlements WHERE event_id = ? LIMIT 1",
                           (demo.sibling_event_id,)).fetchone()[0]
    finally:
        conn.close()
    r = cli("check", hid, "--event", demo.event_id, "--json")
    assert r.json["verdict"] == "WRONG_SITE" and r.json["details"]["other_site"] == "Bintara"
