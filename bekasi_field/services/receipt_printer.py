"""Receipt printers chosen in the settings (USB, serial, network or a file) and sending to them.

The settings are a list in the desk's `meta` (no personal data); one is the default. Sending
never blocks for long: every connection has a short timeout, a printer that reports no paper is
refused before anything is sent, and any failure becomes PrinterUnavailable with a clear message,
after the hand-over it belongs to was already saved. The desk sends from a worker thread and
offers to print again; the CLI exits 3.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.store.db import Database, set_meta

log = logging.getLogger(__name__)

KINDS = ("usb", "serial", "network", "file")
_LIST_KEY = "receipt_printers"
_DEFAULT_KEY = "receipt_printer_default"
_STATUS_TIMEOUT = 1.0  # a printer that does not answer the paper query is simply printed to


class PrinterUnavailable(BekasiError):
    """The printer is off, unplugged, out of paper or not answering; nothing was lost."""


@dataclass(frozen=True)
class PrinterConfig:
    name: str
    kind: str  # usb | serial | network | file
    target: str  # "04b8:0202" | "COM3", "/dev/ttyUSB0" | "192.168.1.50[:9100]" | a file path
    width_mm: int = 58
    native_qr: bool = False  # the printer has its own QR command (GS ( k)
    baudrate: int = 9600
    timeout: float = 3.0

    def validated(self) -> PrinterConfig:
        if not self.name.strip():
            raise BekasiError(tr("printer.bad_name"))
        if self.kind not in KINDS:
            raise BekasiError(tr("printer.bad_kind", kind=self.kind, allowed=", ".join(KINDS)))
        if self.width_mm not in (58, 80):
            raise BekasiError(tr("printer.bad_width", width=self.width_mm))
        if not self.target.strip():
            raise BekasiError(tr("printer.bad_target", kind=self.kind, target=self.target))
        if self.kind == "usb":
            _usb_ids(self.target)
        if self.kind == "network":
            _host_port(self.target)
        return self


def _usb_ids(target: str) -> tuple[int, int]:
    try:
        vid, pid = target.split(":")
        return int(vid, 16), int(pid, 16)
    except ValueError as exc:
        raise BekasiError(tr("printer.bad_target", kind="usb", target=target)) from exc


def _host_port(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":") if ":" in target else (target, "", "9100")
    try:
        return host, int(port)
    except ValueError as exc:
        raise BekasiError(tr("printer.bad_target", kind="network", target=target)) from exc


def list_printers(db: Database) -> list[PrinterConfig]:
    raw = db.get_meta(_LIST_KEY) or "[]"
    try:
        return [PrinterConfig(**item) for item in json.loads(raw)]
    except (TypeError, ValueError):
        log.warning("receipt printer settings unreadable; ignored")
        return []


def default_printer_name(db: Database) -> str | None:
    return db.get_meta(_DEFAULT_KEY) or None


def save_printer(db: Database, config: PrinterConfig, *, make_default: bool = False) -> None:
    config = config.validated()
    others = [p for p in list_printers(db) if p.name != config.name]
    with db.transaction() as conn:
        set_meta(conn, _LIST_KEY, json.dumps([asdict(p) for p in [*others, config]]))
        if make_default or not default_printer_name(db):
            set_meta(conn, _DEFAULT_KEY, config.name)


def remove_printer(db: Database, name: str) -> bool:
    printers = list_printers(db)
    kept = [p for p in printers if p.name != name]
    with db.transaction() as conn:
        set_meta(conn, _LIST_KEY, json.dumps([asdict(p) for p in kept]))
        if default_printer_name(db) == name:
            set_meta(conn, _DEFAULT_KEY, kept[0].name if kept else "")
    return len(kept) != len(printers)


def get_printer(db: Database, name: str | None = None) -> PrinterConfig | None:
    """The named printer, else the default one; None when the desk has none set up."""
    wanted = name or default_printer_name(db)
    if not wanted:
        return None
    for p in list_printers(db):
        if p.name == wanted:
            return p
    if name:
        raise BekasiError(tr("printer.unknown", name=name))
    return None


def _device(config: PrinterConfig) -> Any:
    from bekasi_field.reports.escpos_support import escpos_printer
    ep = escpos_printer()
    if config.kind == "file":
        return ep.File(devfile=config.target)
    if config.kind == "network":
        host, port = _host_port(config.target)
        return ep.Network(host=host, port=port, timeout=config.timeout)
    if config.kind == "serial":
        return ep.Serial(devfile=config.target, baudrate=config.baudrate,
                         timeout=config.timeout)
    vid, pid = _usb_ids(config.target)
    return ep.Usb(idVendor=vid, idProduct=pid, timeout=int(config.timeout * 1000))


def _paper_out(device: Any, config: PrinterConfig) -> bool:
    """Ask the printer for its paper sensor (DLE EOT 4); no answer counts as paper present."""
    if config.kind == "file":
        return False
    sock = getattr(device, "device", None) if config.kind == "network" else None
    try:
        if sock is not None:
            sock.settimeout(_STATUS_TIMEOUT)
        return int(device.paper_status()) == 0
    except Exception:  # noqa: BLE001 - many printers never answer status queries
        return False
    finally:
        if sock is not None:
            sock.settimeout(config.timeout)


def send(config: PrinterConfig, data: bytes) -> None:
    """Send ESC/POS bytes; PrinterUnavailable (quickly) when the printer cannot take them."""
    device = None
    try:
        device = _device(config)
        if config.kind == "network":
            # Our own connect: python-escpos leaves the socket of a failed connect unclosed.
            import socket
            device.device = socket.create_connection(_host_port(config.target),
                                                     timeout=config.timeout)
        else:
            device.open()
        if _paper_out(device, config):
            raise PrinterUnavailable(tr("printer.no_paper", name=config.name))
        device._raw(data)  # the rendered ticket as it is (python-escpos' documented raw path)
    except PrinterUnavailable:
        raise
    except Exception as exc:  # USB, serial, socket and escpos errors alike
        log.warning("printer %s (%s) failed: %s", config.name, config.kind, type(exc).__name__)
        raise PrinterUnavailable(tr("printer.unavailable", name=config.name,
                                    detail=type(exc).__name__)) from exc
    finally:
        if device is not None:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - closing a dead device must not hide the cause
                log.debug("closing printer %s failed", config.name)
    log.info("sent %d bytes to printer %s (%s)", len(data), config.name, config.kind)
