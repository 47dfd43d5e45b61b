"""The log file: rotating, in the data dir, redacted; `--version`."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bekasi_field import __version__
from bekasi_field.logging_setup import LOG_FILE, REDACTED, redact, setup_logging

NIK = "3275014503850001"


@pytest.fixture(autouse=True)
def _detach_our_handler():
    """Each test here installs the file handler; leave none behind for other tests."""
    yield
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_bekasi_field", False):
            root.removeHandler(h)
            h.close()


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return setup_logging(tmp_path / "logs")


def _text(path: Path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


def test_redact_sixteen_digits_in_any_grouping_but_not_other_numbers() -> None:
    assert NIK not in redact(f"scan {NIK} ok")
    assert REDACTED in redact("kartu 6013 0112 3456 7890")
    assert REDACTED in redact("KK 3275.0101.0120.0001")
    assert redact("seq 1234567 of 15 digits 123456789012345") == \
        "seq 1234567 of 15 digits 123456789012345"
    assert redact("17 digits 12345678901234567") == "17 digits 12345678901234567"
    assert redact("at 2026-11-23 10:00:00,123") == "at 2026-11-23 10:00:00,123"


def test_redact_name_values_and_sql_parameter_dumps() -> None:
    assert "Siti" not in redact("recipient_name='Siti Aminah' seq=4")
    assert "Siti" not in redact("{'nama': 'Siti Aminah', 'rt': '001'}")
    assert "Budi" not in redact('proxy_name="Budi Santoso"')
    assert redact("household_id=H001 seq=4") == "household_id=H001 seq=4"
    sql_error = ("(sqlite3.IntegrityError) UNIQUE constraint failed: members.nik\n"
                 "[SQL: INSERT INTO members (nik, name) VALUES (?, ?)]\n"
                 "[parameters: ('3275014503850001', 'Siti Aminah')]\n"
                 "(Background on this error at: https://sqlalche.me/e/20/gkpj)")
    cleaned = redact(sql_error)
    assert "Siti" not in cleaned and NIK not in cleaned
    assert "UNIQUE constraint failed: members.nik" in cleaned and "[SQL: INSERT" in cleaned


def test_log_file_rotates_in_the_data_dir_and_drops_personal_data(log_file: Path) -> None:
    assert log_file.name == LOG_FILE and log_file.parent.name == "logs"
    log = logging.getLogger("bekasi_field.test")
    log.info("checked %s for %s", NIK, "household H001")
    try:
        raise ValueError(f"bad row nik={NIK} name='Dewi Lestari'")
    except ValueError:
        log.exception("import failed")
    text = _text(log_file)
    assert "household H001" in text and "import failed" in text and "ValueError" in text
    assert NIK not in text and "Dewi" not in text
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_bekasi_field", False))
    assert handler.maxBytes > 0 and handler.backupCount >= 1


def test_version(cli) -> None:
    r = cli("--version")
    assert r.code == 0 and r.out.strip() == f"bekasi-field {__version__}"


def test_no_nik_or_name_in_the_log_after_a_real_day(home: Path, tmp_path: Path, cli) -> None:
    """Demo registry, hand-overs with a proxy and a void, reports, through the
    services and the CLI; then every NIK and name of the site is searched in the log file."""
    demo = pytest.importorskip("bekasi_field.services.demo")
    journal = pytest.importorskip("bekasi_field.services.journal")
    from bekasi_field.services.site import Site

    log_path = setup_logging(home / "logs")
    d = demo.build_demo(home=home, households=12, seed=11)
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
        done = []
        for i, h in enumerate(hh):
            done.append(journal.record_handover(
                site=site, event_id=d.event_id, code=h, officer_id=petugas.id,
                identity=journal.IdentityCheck(member_nik=None, ktp_seen=True, kk_seen=True,
                                               checked_by=petugas.id),
                proxy=journal.ProxyInfo(name="Sutrisno Wibowo", nik="3275010101800009",
                                        relationship="Anak", letter_seen=True) if i else None))
        journal.void_entry(site=site, entry_uuid=done[0].uuid, supervisor_id=supervisor.id,
                           reason="salah orang")
    assert cli("report", "bast", "--event", d.event_id, "--out", tmp_path / "b.pdf").code == 0
    assert cli("report", "xlsx", "--event", d.event_id, "--out", tmp_path / "r.xlsx").code == 0
    assert cli("check", hh[1], "--event", d.event_id).code in (0, 3)
    logging.getLogger("bekasi_field.test").error("oops for %s", d.event_id)

    text = _text(log_path)
    assert d.event_id in text  # the log is written and useful
    from home_db import connect_home
    db = connect_home(home)
    try:
        people = db.execute("SELECT nik, name FROM members").fetchall()
        officers = [r[0] for r in db.execute("SELECT name FROM officers")]
    finally:
        db.close()
    assert len(people) >= 12
    for nik, name in people:
        assert nik not in text, "a NIK reached the log"
        assert name not in text, "a name reached the log"
    assert "3275010101800009" not in text and "Sutrisno" not in text
    for name in officers:
        assert name not in text
