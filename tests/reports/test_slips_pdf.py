"""Slip PDFs: rendered to images, every QR read back by zxing-cpp AND pyzbar, every slip ELIGIBLE."""

from __future__ import annotations

import importlib.util
import stat
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp
from pyzbar import pyzbar

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.verdicts import VerdictCode
from bekasi_field.services import keys
from bekasi_field.services.site import Site
from bekasi_field.services.slips import render_event_slips
from bekasi_field.services.verdict_engine import VerdictEngine

DPI = 170


def _helpers():
    if "small_site" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "services" / "small_site.py"
        spec = importlib.util.spec_from_file_location("small_site", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["small_site"] = module
        spec.loader.exec_module(module)
    return sys.modules["small_site"]


h = _helpers()


@pytest.fixture
def world(site):
    w = h.build_world(site)
    h.add_households(site, 6)  # 5 + 6 = 11 active entitled households: two pages
    return w


def _pages(pdf_path: Path) -> list[np.ndarray]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        out = []
        for page in pdf:
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            out.append(np.array(bitmap.to_pil().convert("L")))
            page.close()
        return out
    finally:
        pdf.close()


def _text(pdf_path: Path) -> str:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        parts = []
        for page in pdf:
            tp = page.get_textpage()
            parts.append(tp.get_text_range())
            tp.close()
            page.close()
        return "\n".join(parts)
    finally:
        pdf.close()


def test_every_slip_reads_back_with_both_decoders_and_verifies(world, tmp_path) -> None:
    out = tmp_path / "undangan.pdf"
    n = render_event_slips(engine=world.site.db.engine, event_id=h.EVENT, out=out,
                           signer=world.signer)
    assert n == 11  # graduated, deceased and suspended households get no slip
    pages = _pages(out)
    assert len(pages) == 2
    assert pages[0].shape[0] > pages[0].shape[1]  # A4 portrait
    by_zxing: list[str] = []
    by_zbar: list[str] = []
    for img in pages:
        by_zxing += [r.text for r in zxingcpp.read_barcodes(img)
                     if r.format == zxingcpp.BarcodeFormat.QRCode]
        by_zbar += [s.data.decode("ascii") for s in pyzbar.decode(img)
                    if s.type == "QRCODE"]
    assert len(by_zxing) == n and sorted(by_zxing) == sorted(by_zbar)
    engine = VerdictEngine(world.site.db)
    try:
        verdicts = [engine.check(text, event_id=h.EVENT) for text in by_zxing]
    finally:
        engine.close()
    assert {v.code for v in verdicts} == {VerdictCode.ELIGIBLE, VerdictCode.WRONG_SITE}
    eligible = [v for v in verdicts if v.code is VerdictCode.ELIGIBLE]
    assert len(eligible) == n - 1  # "far" lives outside the served kelurahan
    assert all(v.code_kind == "slip" and not v.needs_identity_check for v in verdicts)
    assert len({v.household_id for v in verdicts}) == n


def test_slip_texts_are_indonesian_with_masked_nik(world, tmp_path) -> None:
    out = tmp_path / "blt.pdf"
    render_event_slips(engine=world.site.db.engine, event_id=h.EVENT_BLT, out=out,
                       signer=world.signer)
    text = _text(out)
    assert "UNDANGAN PENGAMBILAN BANTUAN" in text
    assert "Siti Nurhaliza" in text and "Rp250.000" in text
    assert "RT 001/RW 005" in text and "Kota Baru" in text
    assert world.niks["ok"] not in text and world.niks["ok"][-4:] in text
    assert "Kantor Kelurahan Kota Baru" in text


def test_cli_makes_a_private_key_on_first_use_and_reuses_it(world, cli, tmp_path) -> None:
    keys_dir = world.site.layout.keys_dir
    for p in (*keys_dir.glob("*.pem"), *keys_dir.glob("*.sealed")):  # pretend there is none
        p.unlink()
    r = cli("slips", h.EVENT, "--out", tmp_path / "a.pdf", "--json")
    assert r.code == 0, r.err
    assert r.json["slips"] == 11
    assert not list(keys_dir.glob("issuer-*.pem"))  # no plain key file on a desk
    [key_file] = keys_dir.glob("issuer-*.sealed")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in key_file.read_bytes()  # sealed under the data key
    with pytest.raises(BekasiError):  # without the site's key it is no signing key
        keys.load_signer(key_file)
    assert keys.load_signer(key_file, seal_key=world.site.secrets_key).key_id == r.json["key_id"]
    first_key = r.json["key_id"]
    r = cli("slips", h.EVENT, "--out", tmp_path / "b.pdf", "--json")
    assert r.json["key_id"] == first_key
    assert len(list(keys_dir.glob("issuer-*.sealed"))) == 1
    r = cli("slips", "NO-SUCH", "--out", tmp_path / "c.pdf")
    assert r.code == 3 and "NO-SUCH" in r.err


def test_keys_init_and_list(cli, home) -> None:
    r = cli("keys", "init", "--json", "--valid-days", "30")
    assert r.code == 0
    path = Path(r.json["private_path"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Site.open(home) as site:
        assert keys.load_signer(path, seal_key=site.secrets_key).key_id == r.json["key_id"]
    r2 = cli("keys", "list", "--json")
    assert [k["key_id"] for k in r2.json["keys"]] == [r.json["key_id"]]
    assert "BEGIN" not in r.out + r2.out


def test_drawn_qr_stays_at_version_10_or_below_for_the_longest_slip() -> None:
    import datetime as dt

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
    from bekasi_field.reports.slips_pdf import qr_matrix

    text = encode_slip(SlipPayload(
        key_id="ffffffff", household_id="9" * 20, event_id="E" * 40,
        item="Iuran BPJS Ketenagakerjaan 1 tahun (JKK + JKM)", amount=10**9,
        expires=dt.date(2026, 12, 31), serial="Z" * 16), sign=Ed25519PrivateKey.generate().sign)
    assert len(qr_matrix(text)) <= 17 + 4 * 10


def test_unusable_keys_are_replaced_and_bad_key_files_refused(site, tmp_path) -> None:
    import datetime as dt

    from bekasi_field.domain.errors import BekasiError

    old = keys.generate_issuer_key(keys_dir=site.layout.keys_dir,
                                   valid_from=dt.date.today() - dt.timedelta(days=40),
                                   valid_days=30)  # expired ten days ago
    keys.register_public_key(site.db.engine, old)
    assert keys.usable_signer(site.db.engine, site.layout.keys_dir) is None
    fresh = keys.ensure_signer(site.db.engine, site.layout.keys_dir)
    assert fresh.key_id != old.key_id
    keys.register_public_key(site.db.engine, keys.IssuerKeyInfo(
        **{**keys.list_issuer_keys(site.db.engine)[-1].__dict__, "revoked": True}))
    assert keys.usable_signer(site.db.engine, site.layout.keys_dir) is None
    assert "private" not in repr(fresh).lower() and fresh.key_id in repr(fresh)
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(BekasiError):
        keys.load_signer(bad)


def test_both_qr_writers_give_a_readable_level_m_code(world) -> None:
    from bekasi_field.reports.slips_pdf import qr_matrix, qrcode_matrix

    text = world.slip("ok")
    for matrix in (qr_matrix(text), qrcode_matrix(text)):
        n = len(matrix)
        img = np.full((n + 8, n + 8), 255, np.uint8)
        img[4:-4, 4:-4] = np.where(matrix, 0, 255)
        img = np.kron(img, np.ones((6, 6), np.uint8))
        [result] = zxingcpp.read_barcodes(img)
        assert result.text == text and result.ec_level == "M"


def test_cli_revokes_a_lost_slip(world, cli) -> None:
    serial = world.serials["ok"]
    r = cli("slips", "revoke", serial.lower(), "--reason", "hilang", "--json")
    assert r.code == 0 and r.json == {"slip_serial": serial, "revoked": True, "already": False}
    assert cli("slips", "revoke", serial, "--reason", "lagi", "--json").json["already"]
    r = cli("check", world.slip("ok"), "--event", h.EVENT, "--json")
    assert r.json["verdict"] == "REVOKED"
    assert cli("slips", "revoke", "NOPE-1", "--reason", "x").code == 3
    assert cli("slips", "revoke", serial).code == 2  # a reason is required
    assert cli("slips", h.EVENT).code == 2  # --out is required to print


def test_cli_revokes_an_issuer_key(world, cli) -> None:
    key_id = world.signer.key_id
    assert cli("check", world.slip("ok"), "--event", h.EVENT, "--json").json["verdict"] == \
        "ELIGIBLE"
    r = cli("keys", "revoke", key_id, "--json")
    assert r.code == 0 and r.json == {"key_id": key_id, "revoked": True}
    r = cli("check", world.slip("ok"), "--event", h.EVENT, "--json")
    assert r.json["verdict"] == "INVALID_SIGNATURE"
    assert r.json["details"]["problem"] == "revoked_key"
    assert cli("keys", "revoke", "nokey000").code == 3
    assert "(dicabut)" in cli("keys", "list").out
