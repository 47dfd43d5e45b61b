"""The BAST PDF: real text extracted with pdfium, real pages rendered."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bekasi_field.reports.bast_pdf import write_bast
from bekasi_field.services import reports

DAY1 = dt.date(2026, 11, 23)


def _pages_text(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            texts.append(tp.get_text_range().replace("\r\n", "\n"))
            tp.close()
            page.close()
        return texts
    finally:
        pdf.close()


def test_bast_has_title_site_totals_rupiah_and_masked_recipients(seeded, jf, tmp_path) -> None:
    site, _ = seeded
    out = tmp_path / "bast.pdf"
    write_bast(reports.bast_data(site.db.engine, jf.EVENT_ID, day=DAY1), out)
    text = "\n".join(_pages_text(out))
    assert "BERITA ACARA SERAH TERIMA" in text
    assert "Kelurahan Kota Baru, Kecamatan Bekasi Barat" in text
    assert "Senin, 23 November 2026" in text
    assert "Rp250.000" in text and "Rp2.000.000" in text  # 8 households x Rp250.000
    assert "Rahmat Hidayat" in text and "Bambang Wijaya" in text  # officer, supervisor
    assert "Kuasa: Sutrisno (Suami)" in text
    assert "Siti Aminah" in text and "08.05" in text
    assert "3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001" in text
    for i in range(20):
        assert jf.nik_for(i) not in text  # never the full NIK on paper
    assert "Daftar penerima (9)" in text and "1 entri ganda" in text
    assert "Petugas," in text and "Lurah / Saksi," in text
    assert "Halaman 1 dari 1" in text


def test_long_list_repeats_header_and_numbers_pages(site, jf, tmp_path) -> None:
    jf.seed_roster(site.db, households=90)
    with site.db.transaction() as conn:
        j = jf.Journal(site.db.device_id)
        for i in range(90):
            j.add(conn, household_id=f"H{i + 1:03d}",
                  created_at=f"2026-11-23T{2 + i // 30:02d}:{i % 30 * 2:02d}:00.000Z")
    out = tmp_path / "long.pdf"
    write_bast(reports.bast_data(site.db.engine, jf.EVENT_ID), out)
    pages = _pages_text(out)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Halaman {n} dari {len(pages)}" in page
        assert "Nama penerima" in page and "Diterima oleh" in page  # header on every page
    assert "Rp22.500.000" in pages[0]  # 90 x Rp250.000
    assert re.search(rf"(?m)^90 {jf.NAMES[89 % 20]} 3275", pages[-1])  # last row, numbered


def test_bast_renders_to_a_non_blank_page(seeded, jf, tmp_path) -> None:
    site, _ = seeded
    out = write_bast(reports.bast_data(site.db.engine, jf.EVENT_ID), tmp_path / "b.pdf")
    pdf = pdfium.PdfDocument(str(out))
    try:  # every page: the signatures may start a page of their own
        images = [pdf[i].render(scale=0.5).to_pil().convert("L") for i in range(len(pdf))]
    finally:
        pdf.close()
    dark = sum(sum(image.histogram()[:128]) for image in images)
    assert images[0].size[0] > 250 and dark > 2000  # text and table lines, not an empty sheet
    assert not (tmp_path / "b.pdf.tmp").exists()


def test_empty_event_still_gives_a_signable_bast(site, jf, tmp_path) -> None:
    jf.seed_roster(site.db, households=3, amount=None)
    out = write_bast(reports.bast_data(site.db.engine, jf.EVENT_ID), tmp_path / "e.pdf")
    text = "\n".join(_pages_text(out))
    assert "Belum ada serah terima." in text and "Demikian berita acara" in text
    assert "23 November 2026 s.d. 24 November 2026" in text


@pytest.mark.parametrize("lang", ["en"])
def test_english_copy_uses_the_same_keys(seeded, jf, tmp_path, lang) -> None:
    from bekasi_field import i18n

    site, _ = seeded
    i18n.set_language(lang)
    try:
        out = write_bast(reports.bast_data(site.db.engine, jf.EVENT_ID, day=DAY1),
                         tmp_path / "en.pdf")
    finally:
        i18n.set_language("id")
    text = "\n".join(_pages_text(out))
    assert "HAND-OVER CERTIFICATE" in text and "Page 1 of 1" in text
