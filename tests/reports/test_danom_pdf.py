"""The daftar nominatif: real PDFs read back with pdfium, the right households on each page."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

from bekasi_field.reports.danom_pdf import write_danom
from bekasi_field.services.danom import danom_data

_HOUSEHOLD = re.compile(r"\bH\d{3}\b")
_KELURAHAN = re.compile(r"Kelurahan (Kota Baru|Kranji) · (\d+) KPM")


def _pages(path: Path) -> list[tuple[str, tuple[float, float]]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append((tp.get_text_range().replace("\r\n", "\n"), page.get_size()))
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def _kelurahan_of(i: int) -> str:
    return "Kota Baru" if i % 2 == 0 else "Kranji"  # journal_fixture: even Kota Baru, odd Kranji


def test_every_page_holds_only_its_kelurahan_and_every_household_once(site, jf, tmp_path) -> None:
    jf.seed_scenario(site.db, households=50)
    out = tmp_path / "danom.pdf"
    write_danom(danom_data(site.db.engine, jf.EVENT_ID), out)
    pages = _pages(out)
    assert len(pages) >= 4  # 25 households per kelurahan do not fit one landscape page
    seen: list[str] = []
    per_kelurahan: dict[str, list[int]] = {}
    for n, (text, (w, h)) in enumerate(pages, start=1):
        assert w > h  # landscape
        (kel, total), = _KELURAHAN.findall(text)  # named exactly once on every page
        assert total == "25"
        ids = _HOUSEHOLD.findall(text)
        assert ids, f"page {n} lists nobody"
        assert {_kelurahan_of(int(i[1:]) - 1) for i in ids} == {kel}
        per_kelurahan.setdefault(kel, []).append(n)
        seen += ids
        assert f"Halaman {n} dari {len(pages)}" in text
        assert "Tanda tangan / cap" in text  # the header, repeated on every page
    assert sorted(seen) == [f"H{i:03d}" for i in range(1, 51)]  # each once, none missing
    # a kelurahan's pages are consecutive: the next one starts on a new page
    for numbers in per_kelurahan.values():
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    for i in range(50):
        assert jf.nik_for(i) not in "".join(t for t, _ in pages)


def test_after_the_day_it_says_collected_voided_or_not_yet_with_time_and_desk(
        seeded, jf, tmp_path) -> None:
    site, sc = seeded
    data = danom_data(site.db.engine, jf.EVENT_ID)
    assert data.marked
    by_id = {r.household_id: r for r in data.rows}
    assert by_id["H001"].status == "collected" and by_id["H001"].local_time == "08.05"
    assert by_id[sc.voided].status == "voided"
    assert by_id["H013"].status == "pending"
    assert by_id[sc.duplicate].entries == 2 and by_id[sc.proxy].by_proxy
    assert by_id["H011"].desk == "deskb0000002"  # learned from the other desk
    out = tmp_path / "after.pdf"
    write_danom(data, out)
    lines = [ln for text, _ in _pages(out) for ln in text.split("\n")]

    def line_of(household: str) -> str:
        (found,) = [ln for ln in lines if re.search(rf"\b{household}\b", ln)]
        return found

    text = "\n".join(lines)
    assert "Sudah" in text and "Belum" in text and "Dibatalkan" in text
    assert "(kuasa)" in text and "(ganda: 2)" in text
    assert "08.05" in text and "deskb00000" in text  # the desk, shortened to its column
    assert "Kelurahan Kota Baru · 10 KPM · sudah mengambil" in text
    assert "S00001" in text and "3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001" in text
    assert line_of("H013") and line_of("H001")


def test_before_the_day_the_status_columns_make_room_for_signatures(site, jf, tmp_path) -> None:
    jf.seed_roster(site.db, households=6)
    data = danom_data(site.db.engine, jf.EVENT_ID)
    assert not data.marked  # no hand-over yet: the list for the day itself
    out = tmp_path / "before.pdf"
    write_danom(data, out)
    text = "\n".join(t for t, _ in _pages(out))
    assert "Daftar untuk hari penyaluran" in text and "Tanda tangan / cap jempol" in text
    assert "Status" not in text and "Belum" not in text and "Meja" not in text
    assert len(_HOUSEHOLD.findall(text)) == 6


def test_cli_danom_one_kelurahan(seeded, jf, tmp_path, cli) -> None:
    out = tmp_path / "kranji.pdf"
    r = cli("report", "danom", "--event", jf.EVENT_ID, "--kelurahan", "kranji", "--out", out,
            "--json")
    assert r.code == 0, r.err
    assert {row["kelurahan"] for row in r.json["rows"]} == {"Kranji"}
    assert len(r.json["rows"]) == 10 and r.json["marked"] is True
    assert all(jf.nik_for(i) not in r.out for i in range(20))
    text = "\n".join(t for t, _ in _pages(out))
    assert {k for k, _ in _KELURAHAN.findall(text)} == {"Kranji"}
    assert len(set(_HOUSEHOLD.findall(text))) == 10
    r = cli("report", "danom", "--event", jf.EVENT_ID, "--kelurahan", "Bintara", "--out", out)
    assert r.code == 3 and "Bintara" in r.err
    r = cli("report", "danom", "--event", "NOPE", "--out", out)
    assert r.code == 3
