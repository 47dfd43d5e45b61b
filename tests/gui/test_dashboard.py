"""The supervisor dashboard on a seeded site, offscreen: numbers, chart, conflicts, exports."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import openpyxl
import pytest

from bekasi_field.gui.dashboard import SupervisorDashboard
from bekasi_field.services.site import Site

pytestmark = [
    pytest.mark.gui,
    # the offscreen platform says this for every shown top-level window; not our warning
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
DAY1 = dt.date(2026, 11, 23)


def _journal_fixture():
    name = "bkf_journal_fixture"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).parent.parent / "reports" / "journal_fixture.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


jf = _journal_fixture()


@pytest.fixture
def dashboard(qtbot, site: Site):
    jf.seed_scenario(site.db)
    dash = SupervisorDashboard(site=site, event_id=jf.EVENT_ID, day=DAY1)
    qtbot.addWidget(dash)
    dash.resize(900, 600)
    with qtbot.waitSignal(dash.refreshed, timeout=10_000):
        dash.show()
    yield dash
    dash.ops.shutdown(2.0)


def test_shows_collected_over_allocated_per_kelurahan(dashboard) -> None:
    table = dashboard.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == {"Kota Baru": "5 / 10", "Kranji": "6 / 10"}
    assert table.cellWidget(1, 2).value() == 6
    assert dashboard.total.text() == "Total: 11 dari 20 KPM (55%)"


def test_hour_chart_and_conflicts_and_sync(dashboard) -> None:
    hours = dashboard.chart.shown_hours()
    assert hours[0] == 7 and hours[-1] == 23  # working day, stretched to the 23.30 hand-over
    assert "23 November 2026 (9)" in dashboard.chart_box.title()
    items = [dashboard.conflicts.item(i).text() for i in range(dashboard.conflicts.count())]
    assert len(items) == 1 and items[0].startswith("H002 (Kranji): tercatat 2 kali")
    assert "deskb0000002" in items[0]
    # 11 own entries (8 hand-overs, a void, 2 more), none acknowledged by a hub yet
    assert "Antrean: 11 entri" in dashboard.sync_label.text()
    assert "Belum pernah sinkron" in dashboard.sync_label.text()


def test_exports_both_reports(dashboard, qtbot, tmp_path) -> None:
    pdf = tmp_path / "bast.pdf"
    with qtbot.waitSignal(dashboard.exported, timeout=20_000) as sig:
        dashboard.export("bast", pdf)
    assert sig.args == [str(pdf)] and pdf.read_bytes().startswith(b"%PDF")
    assert "Tersimpan" in dashboard.status.text()
    xlsx = tmp_path / "recap.xlsx"
    with qtbot.waitSignal(dashboard.exported, timeout=20_000):
        dashboard.export("xlsx", xlsx)
    assert openpyxl.load_workbook(xlsx).sheetnames[2] == "Rekap Kelurahan"
    assert dashboard.bast_button.isEnabled()


def test_export_to_an_unwritable_place_says_why(dashboard, qtbot, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with qtbot.waitSignal(dashboard.export_failed, timeout=20_000):
        dashboard.export("xlsx", blocker / "sub" / "r.xlsx")
    assert "Gagal" in dashboard.status.text() and dashboard.xlsx_button.isEnabled()


def test_fed_conflicts_and_sync_state(qtbot, site: Site) -> None:
    jf.seed_roster(site.db, households=4)
    dash = SupervisorDashboard(site=site, event_id=jf.EVENT_ID, day=DAY1,
                               conflicts_fn=lambda: ["hub: H004 di dua lokasi"],
                               sync_state_fn=lambda: "Tersambung ke hub")
    qtbot.addWidget(dash)
    with qtbot.waitSignal(dash.refreshed, timeout=10_000):
        dash.show()
    assert dash.conflicts.item(0).text() == "hub: H004 di dua lokasi"
    assert dash.sync_label.text() == "Tersambung ke hub"
    assert dash.total.text() == "Total: 0 dari 4 KPM (0%)"
    dash.ops.shutdown(2.0)


def test_screenshot(dashboard, tmp_path) -> None:
    image = dashboard.grab().toImage()
    assert image.width() >= 900
    out = tmp_path / "dashboard.png"
    assert image.save(str(out)) and out.stat().st_size > 5000
