"""`report enrolment` (XLSX for the BPU registration + PDF against the budget) and
`report graduation` (PDF + XLSX against the target): columns read back with openpyxl, PDFs
rendered with pdfium."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from bekasi_field.services import events, officers
from bekasi_field.services.site import Site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from enrolment_world import START, boundary_homes, seed

ENROL, GRAD = "BPJSTK-KB", "GRAD-KB"


@pytest.fixture
def reported(home: Path, cli, tmp_path: Path):
    s = Site.open(home)
    people = seed(s.db.engine, boundary_homes())
    for oid, role, pin in (("PTG01", "petugas", "1111"), ("PKH01", "pendamping", "3333"),
                           ("PKH02", "pendamping", "4444")):
        officers.create_officer(s.db, officer_id=oid, name=f"Nama {oid}", role=role, pin=pin)
    events.create_event(s.db.engine, programme="BPJSTK", kind="enrolment",
                        site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru", "Kranji"],
                        start_date=START, end_date="2026-12-31",
                        params={"quota": 3, "budget": 2_010_000}, event_id=ENROL)
    today = dt.date.today()
    events.create_event(s.db.engine, programme="PKH", kind="graduation",
                        site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru", "Kranji"],
                        start_date=today, end_date=today, params={"target": 4},
                        event_id=GRAD)
    s.close()
    for key, occupation, phone in (("just15", "ojol", "081298765432"),
                                   ("casual", "pkl", "+6285700001111")):
        r = cli("enrol", people[key].nik, "--event", ENROL, "--officer", "PTG01", "--pin",
                "1111", "--occupation", occupation, "--phone", phone, "--heir-name",
                f"Ahli {key}", "--heir-relationship", "Anak", "--heir-nik",
                "3275010101800001", "--birth-place", "Bekasi", "--consent", "--json")
        assert r.code == 0, r.err
    sig = tmp_path / "sig.png"
    sig.write_bytes(b"\x89PNG signature")
    r = cli("graduate", "HH06", "--officer", "PKH01", "--pin", "3333", "--reason",
            "sejahtera_mandiri", "--signature", sig, "--json")
    assert r.code == 0, r.err
    return people


def _render(path: Path, png: Path) -> tuple[str, int]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        tp = page.get_textpage()
        text = tp.get_text_range()
        tp.close()
        image = page.render(scale=1.2).to_pil()
        image.save(png)
        dark = sum(image.convert("L").histogram()[:128])
        return text, dark
    finally:
        pdf.close()


def test_enrolment_workbook_has_the_bpu_columns(reported, cli, tmp_path: Path) -> None:
    out = tmp_path / "bpu.xlsx"
    r = cli("report", "enrolment", "--event", ENROL, "--out", out, "--json")
    assert r.code == 0, r.err
    assert r.json["rows"] == 2 and r.json["premium_total"] == 402_000
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["No", "NIK", "Nama lengkap", "Tempat lahir", "Tanggal lahir", "L/P"]
    for col in ("No. HP", "E-mail", "Pekerjaan", "Program", "Iuran / tahun",
                "Mulai kepesertaan", "Akhir kepesertaan", "Nama ahli waris", "Hubungan",
                "NIK ahli waris", "Alamat domisili"):
        assert col in header
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["NIK"] == reported["just15"].nik  # full NIK: the registration needs it
    assert row["Tanggal lahir"].date() == dt.date(2011, 7, 1)
    assert row["No. HP"] == "081298765432" and row["Pekerjaan"] == "Ojek online"
    assert row["Program"] == "JKK + JKM" and row["Iuran / tahun"] == 201_000
    assert row["Mulai kepesertaan"].date() == START
    assert row["Akhir kepesertaan"].date() == dt.date(2027, 6, 30)
    assert row["Nama ahli waris"] == "Ahli just15" and row["Tempat lahir"] == "Bekasi"
    assert ws.cell(row=3, column=10).value == "085700001111"
    assert ws.cell(row=4, column=14).value == "=SUM(N2:N3)"
    text, dark = _render(Path(r.json["pdf"]), tmp_path / "enrolment.png")
    assert "REKAPITULASI PENDAFTARAN" in text and "Rp402.000" in text
    assert "Rp2.010.000" in text and "Rp1.608.000" in text  # budget and what is left
    assert dark > 2000


def test_graduation_report_against_the_target(reported, cli, tmp_path: Path) -> None:
    r = cli("report", "graduation", "--out", tmp_path / "graduasi.pdf", "--json")
    assert r.code == 0, r.err
    assert r.json["rows"] == 1 and r.json["target"] == 4
    wb = openpyxl.load_workbook(r.json["xlsx"])
    listing = wb.worksheets[0]
    header = [c.value for c in listing[1]]
    assert header[:3] == ["No", "ID keluarga", "Nama lengkap"] and "Alasan" in header
    assert listing.cell(row=2, column=7).value == "Sejahtera mandiri"
    per_pendamping = {r[0].value: r[2].value for r in wb.worksheets[2].iter_rows(min_row=2)}
    assert per_pendamping == {"Nama PKH01 (PKH01)": 1, "Nama PKH02 (PKH02)": 0}
    assert wb.worksheets[2].cell(row=2, column=2).value == 2.0  # 4 over two pendamping
    text, dark = _render(Path(r.json["out"]), tmp_path / "graduation.png")
    assert "LAPORAN GRADUASI" in text and "Per pendamping" in text and "25,0 %" in text
    assert dark > 2000
