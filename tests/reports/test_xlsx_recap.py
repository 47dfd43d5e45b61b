"""The recap workbook, re-opened with openpyxl; the `report` verbs through the CLI."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdfium2 as pdfium

from bekasi_field.reports.xlsx_recap import RUPIAH_FORMAT, write_recap
from bekasi_field.services import reports


def _write(site, jf, out: Path) -> Path:
    engine = site.db.engine
    rows = reports.handovers(engine, jf.EVENT_ID)
    return write_recap(
        event=reports.get_event_summary(engine, jf.EVENT_ID), handovers=rows,
        remaining=reports.remaining(engine, jf.EVENT_ID),
        recap=reports.recap_by_kelurahan(engine, jf.EVENT_ID, rows=rows), out=out,
    )


def test_three_sheets_with_frozen_styled_headers(seeded, jf, tmp_path) -> None:
    site, sc = seeded
    wb = openpyxl.load_workbook(_write(site, jf, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["Serah Terima", "Belum Mengambil", "Rekap Kelurahan"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.bold
        assert ws.column_dimensions["B"].width >= 10
    handed = wb["Serah Terima"]
    assert handed.max_row == 1 + 12  # 12 live entries over both days
    header = [c.value for c in handed[1]]
    assert header[:6] == ["No", "Tanggal", "Jam", "ID keluarga", "Nama penerima", "NIK"]
    first = [c.value for c in handed[2]]
    assert first[3] == "H001" and first[4] == jf.NAMES[0] and first[2] == "08.05"
    assert first[5] == "3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"
    assert first[9] == 250_000 and handed.cell(row=2, column=10).number_format == RUPIAH_FORMAT
    ids = [handed.cell(row=r, column=4).value for r in range(2, handed.max_row + 1)]
    assert sc.voided not in ids and ids.count(sc.duplicate) == 2
    proxy_row = ids.index(sc.proxy) + 2
    assert handed.cell(row=proxy_row, column=11).value == "Kuasa"
    assert handed.cell(row=proxy_row, column=12).value == "Sutrisno"


def test_remaining_sheet_lists_who_still_has_to_collect(seeded, jf, tmp_path) -> None:
    site, sc = seeded
    wb = openpyxl.load_workbook(_write(site, jf, tmp_path / "r.xlsx"))
    left = wb["Belum Mengambil"]
    ids = {left.cell(row=r, column=2).value for r in range(2, left.max_row + 1)}
    assert len(ids) == 9 and sc.voided in ids and "H001" not in ids
    assert left.cell(row=2, column=5).value.startswith("Jl. Melati")


def test_recap_sheet_counts_and_total_formulas(seeded, jf, tmp_path) -> None:
    site, _ = seeded
    wb = openpyxl.load_workbook(_write(site, jf, tmp_path / "r.xlsx"))
    recap = wb["Rekap Kelurahan"]
    rows = [[c.value for c in row] for row in recap.iter_rows(min_row=2)]
    assert rows[0][:5] == ["Kota Baru", 10, 5, 1, 5] and rows[0][6] == 1_250_000
    assert rows[1][:5] == ["Kranji", 10, 6, 0, 4]
    assert rows[0][5] == 0.5
    assert rows[2][0] == "Jumlah" and rows[2][1] == "=SUM(B2:B3)" and rows[2][6] == "=SUM(G2:G3)"


def test_cli_report_xlsx_and_bast_json_rows(seeded, jf, tmp_path, cli) -> None:
    out = tmp_path / "out" / "recap.xlsx"
    r = cli("report", "xlsx", "--event", jf.EVENT_ID, "--out", out, "--json")
    assert r.code == 0, r.err
    doc = r.json
    assert len(doc["rows"]) == 12 and doc["remaining"] == 9 and out.exists()
    assert all("nik_masked" in row and "recipient_nik" not in row for row in doc["rows"])
    assert {k["kelurahan"]: k["collected"] for k in doc["recap"]} == {"Kota Baru": 5, "Kranji": 6}
    pdf = tmp_path / "bast.pdf"
    r = cli("report", "bast", "--event", jf.EVENT_ID, "--date", "2026-11-23", "--out", pdf,
            "--json")
    assert r.code == 0, r.err
    assert len(r.json["rows"]) == 9 and r.json["totals"]["households"] == 8
    assert r.json["totals"]["amount"] == 2_000_000
    assert pdf.read_bytes().startswith(b"%PDF")
    r = cli("report", "bast", "--event", jf.EVENT_ID, "--out", tmp_path / "b2.pdf")
    assert r.code == 0 and "BAST" in r.out


def test_cli_report_errors_are_clear(seeded, jf, tmp_path, cli) -> None:
    r = cli("report", "bast", "--event", "NOPE", "--out", tmp_path / "x.pdf")
    assert r.code == 3 and "NOPE" in r.err and "Traceback" not in r.err
    r = cli("report", "bast", "--event", jf.EVENT_ID, "--date", "23-11-2026",
            "--out", tmp_path / "x.pdf")
    assert r.code == 2 and "TTTT-BB-HH" in r.err
    r = cli("report", "xlsx", "--event", jf.EVENT_ID, "--out", tmp_path)
    assert r.code == 3 and not (tmp_path / "x.pdf").exists()


def test_reports_after_real_handovers_on_the_demo_site(home, tmp_path, cli) -> None:
    """The demo site and record_handover/void_entry, end to end through the report verbs."""
    from bekasi_field.services import demo, journal
    from bekasi_field.services.site import Site

    d = demo.build_demo(home=home, households=30, seed=7)
    petugas = next(o for o in d.officers if o.role == "petugas")
    supervisor = next(o for o in d.officers if o.role == "supervisor")
    with Site.open(home) as site:
        conn = site.db.raw()
        try:
            hh = [r[0] for r in conn.execute(
                "SELECT household_id FROM entitlements WHERE event_id = ? ORDER BY id LIMIT 3",
                (d.event_id,))]
        finally:
            conn.close()
        done = [journal.record_handover(
            site=site, event_id=d.event_id, code=h, officer_id=petugas.id,
            identity=journal.IdentityCheck(member_nik=None, ktp_seen=True, kk_seen=False,
                                           checked_by=petugas.id),
            proxy=journal.ProxyInfo(name="Wati", nik=None, relationship="Anak",
                                    letter_seen=True) if i == 1 else None)
            for i, h in enumerate(hh)]
        journal.void_entry(site=site, entry_uuid=done[2].uuid, supervisor_id=supervisor.id,
                           reason="salah orang")
    r = cli("report", "bast", "--event", d.event_id, "--out", tmp_path / "demo.pdf", "--json")
    assert r.code == 0, r.err
    assert [row["household_id"] for row in r.json["rows"]] == hh[:2]
    assert r.json["totals"]["by_proxy"] == 1
    pdf = pdfium.PdfDocument(str(tmp_path / "demo.pdf"))
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert supervisor.name in text and "Kuasa: Wati (Anak)" in text
    r = cli("report", "xlsx", "--event", d.event_id, "--out", tmp_path / "demo.xlsx", "--json")
    assert r.code == 0 and r.json["remaining"] == d.entitlements - 2
