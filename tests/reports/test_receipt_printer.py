"""Receipt printers: ESC/POS tickets printed to a file and parsed back (text, raster QR read
with zxing-cpp, the printer's own QR command), printers that are off, out of paper or silent,
the settings and their CLI, and python-escpos kept out of the system temp folder."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.reports.receipt_escpos import complaint_escpos, receipt_escpos
from bekasi_field.reports.receipt_model import ComplaintSlip, ReceiptData
from bekasi_field.services import receipt_printer as rp
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

DATA = ReceiptData(
    entry_uuid="0b5c7a3e-2f1d-4c9a-8e2b-5a6f7d8c9e01", short_code="BKT-T4VU-7RLQ",
    qr_text="BKR1:" + "NLG7$M480HL6$ C1R6TG64072S6L8FLPCWICVJC" * 6, event_id="BLT-KB-2611",
    event_name="BLT Kota Baru November 2026", programme="BLT", item="BLT tunai",
    amount=250_000, household_id="H002", recipient_name="Muhammad Rizki Pratama",
    nik_masked="3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220002", is_proxy=True,
    proxy_name="Sutrisno", proxy_relationship="Suami", created_at="2026-11-23T01:05:00.000Z",
    device_id="3a41e5ef8b1c", desk_name="Meja 1", officer_id="petugas1",
    officer_name="Rahmat Hidayat", site="Kota Baru")


def _flat(ticket) -> str:
    return " ".join(ln.strip() for ln in ticket.lines)  # wrapped values joined again


def test_a_58mm_receipt_printed_to_a_file_reads_back(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    rp.save_printer(site.db, rp.PrinterConfig(name="kasir", kind="file", target=str(out)))
    rp.send(rp.get_printer(site.db), receipt_escpos(DATA))
    ticket = esc.parse(out.read_bytes())
    assert ticket.cuts == 1 and max(len(ln) for ln in ticket.lines) <= 32  # 58 mm: 32 columns
    text = _flat(ticket)
    for expected in ("PEMERINTAH KOTA BEKASI", "BUKTI PENERIMAAN", "Muhammad Rizki Pratama",
                     "BLT tunai Rp250.000", "H002", "Kuasa: Sutrisno (Suami)",
                     "23 November 2026, 08.05 WIB", "Meja 1 (3a41e5ef8b1c)",
                     "Rahmat Hidayat (petugas1)", "3275********0002"):
        assert expected in text, expected
    assert "Kode: BKT-T4VU-7RLQ" in ticket.bold_lines
    (image,) = ticket.images
    assert image.shape[1] <= 384  # inside the 58 mm print head
    assert esc.decode_qr_image(image) == [DATA.qr_text]


def test_80mm_with_the_printers_own_qr_command() -> None:
    ticket = esc.parse(receipt_escpos(DATA, width_mm=80, native_qr=True))
    assert ticket.native_qr == [DATA.qr_text] and ticket.images == []
    assert max(len(ln) for ln in ticket.lines) <= 48
    assert "Muhammad Rizki Pratama" in ticket.text  # 48 columns: no wrap


def test_the_complaint_slip_carries_the_number() -> None:
    slip = ComplaintSlip(number="ADU-7K3M-Q9XP", name="Siti Rahma",
                         nik_masked="3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220003",
                         category_text="Tidak terdaftar", created_at="2026-11-23T02:00:00Z",
                         site="Kota Baru", officer_id="PTG01")
    ticket = esc.parse(complaint_escpos(slip))
    assert "ADU-7K3M-Q9XP" in ticket.bold_lines and "TANDA TERIMA PENGADUAN" in ticket.text
    assert "3275********0003" in ticket.text and ticket.cuts == 1 and ticket.images == []


def _printer_server(reply: bytes | None
                    ) -> tuple[socket.socket, list[bytes], threading.Thread]:
    """A TCP 'printer' on 127.0.0.1 that answers status queries (DLE EOT n) with `reply`;
    its thread ends when the sender hangs up (join it to have everything it received)."""
    srv = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def run() -> None:
        srv.settimeout(10)
        try:
            conn, _ = srv.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(3)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                got.append(chunk)
                if reply is not None and chunk.startswith(b"\x10\x04"):
                    conn.sendall(reply)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return srv, got, thread


def test_a_printer_out_of_paper_off_or_unplugged_is_refused_quickly() -> None:
    ticket = receipt_escpos(DATA)
    srv, got, printer = _printer_server(bytes([0x72]))  # paper status: roll end sensors on
    started = time.monotonic()
    lan = rp.PrinterConfig(name="lan", kind="network",
                           target=f"127.0.0.1:{srv.getsockname()[1]}", timeout=2)
    with pytest.raises(rp.PrinterUnavailable, match="kehabisan kertas"):
        rp.send(lan, ticket)
    printer.join(timeout=10)  # the sender hung up: all it sent has arrived
    assert not printer.is_alive()
    srv.close()
    assert b"".join(got) == b"\x10\x04\x04"  # asked for paper only: nothing half-printed
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    off = rp.PrinterConfig(name="mati", kind="network",
                           target=f"127.0.0.1:{free.getsockname()[1]}", timeout=2)
    free.close()  # nobody listens there: a printer switched off
    with pytest.raises(rp.PrinterUnavailable, match="tidak siap"):
        rp.send(off, ticket)
    with pytest.raises(rp.PrinterUnavailable, match="tidak siap"):
        rp.send(rp.PrinterConfig(name="usb", kind="usb", target="0416:5011"), ticket)
    with pytest.raises(rp.PrinterUnavailable, match="tidak siap"):
        rp.send(rp.PrinterConfig(name="com", kind="serial", target="/nonexistent/ttyUSB9",
                                 timeout=1), ticket)
    assert time.monotonic() - started < 15


def test_a_printer_that_never_answers_status_still_prints() -> None:
    ticket = receipt_escpos(DATA)
    srv, got, printer = _printer_server(None)
    rp.send(rp.PrinterConfig(name="lan", kind="network",
                             target=f"127.0.0.1:{srv.getsockname()[1]}", timeout=3), ticket)
    printer.join(timeout=10)
    assert not printer.is_alive()
    srv.close()
    assert b"".join(got) == b"\x10\x04\x04" + ticket


def test_printer_settings_and_their_cli(site: Site, tmp_path: Path, cli) -> None:
    out = tmp_path / "t.bin"
    assert cli("printer", "add", "kasir", "--file", out, "--width", "80").code == 0
    r = cli("printer", "add", "lan", "--network", "192.168.1.50", "--native-qr", "--json")
    assert r.code == 0, r.err
    r = cli("printer", "list", "--json")
    assert [(p["name"], p["default"]) for p in r.json["printers"]] == [("kasir", True),
                                                                       ("lan", False)]
    assert rp.get_printer(site.db, "lan").target == "192.168.1.50"
    assert cli("printer", "test").code == 0
    ticket = esc.parse(out.read_bytes())
    assert "UJI PRINTER" in ticket.text and esc.decode_qr_image(ticket.images[0]) == [
        "BKR1:TEST"]
    for bad in (("--network", "host:port"), ("--usb", "zz"), ("--file", "")):
        assert cli("printer", "add", "x", *bad).code == 3
    assert cli("printer", "remove", "kasir").code == 0
    assert rp.default_printer_name(site.db) == "lan"
    assert cli("printer", "remove", "kasir").code == 3
    with pytest.raises(BekasiError):
        rp.get_printer(site.db, "nope")


def test_python_escpos_leaves_nothing_in_the_system_temp_folder(tmp_path: Path) -> None:
    tmp, cache = tmp_path / "systemp", tmp_path / "cache"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp),
           "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    code = ("from bekasi_field.reports.receipt_escpos import test_ticket; "
            "assert len(test_ticket()) > 100")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(tmp.iterdir()) == []
    assert any((cache / "bekasi-field" / "escpos").iterdir())
