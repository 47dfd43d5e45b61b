"""`bekasi-field --self-test`: is this installation (often a PyInstaller build) complete?

Exercises each native piece a kelurahan laptop needs, in a temporary directory: SQLite with our
migrations, the slip codec and its Ed25519 check, OpenCV reading the bundled sample slip image,
every decoder (zxing-cpp, zbar) on it, the KTP reader (OCR models on onnxruntime) on the
bundled sample KTP photo, a slip PDF rendered and read back through pdfium, the BAST and XLSX
writers, and Qt offscreen. Prints one line per check; exit 0 only if all pass.

The sample (resources/samples/sample_slip.png + .json) was made once with the slip codec and a
throwaway key whose private half was never stored (see _regenerate_sample at the bottom); the
sample KTP (resources/samples/sample_ktp.jpg + .json) is a synthetic card of nobody
(_regenerate_ktp_sample).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bekasi_field import __version__
from bekasi_field.i18n import tr
from bekasi_field.paths import resource_path

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

DECODERS = ("zxing", "zbar")


class CheckFailed(Exception):
    """A check found something wrong; the message says what."""


@dataclass
class Outcome:
    name: str
    status: str  # ok | fail | skip
    detail: str
    ms: float


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _sample() -> tuple[Path, dict[str, str]]:
    image = resource_path("samples", "sample_slip.png")
    meta = json.loads(resource_path("samples", "sample_slip.json").read_text(encoding="utf-8"))
    return image, meta


def check_database(tmp: Path) -> str:
    from bekasi_field.services.site import Site
    from bekasi_field.store import migrations
    from bekasi_field.store.datakey import ephemeral

    with Site.open(tmp / "home", data_key=ephemeral()) as site:
        conn = site.db.raw()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        if version != migrations.LATEST or ok != "ok":
            raise CheckFailed(f"schema {version}, integrity {ok}")
        return f"SQLite schema {version}, {mode}, device {site.device_id}"


def check_roster_import(tmp: Path) -> str:
    """A roster import through its writer process: in a PyInstaller build that is the
    executable started again by multiprocessing (freeze_support in __main__)."""
    from bekasi_field.services.demo import write_synthetic_roster_csv
    from bekasi_field.services.roster import import_roster
    from bekasi_field.services.site import Site
    from bekasi_field.store.datakey import ephemeral

    roster = tmp / "roster.csv"
    rows = write_synthetic_roster_csv(roster, households=40, seed=7)
    with Site.open(tmp / "home", data_key=ephemeral()) as site:
        result = import_roster(site.db.engine, roster, writer_process=True)
        conn = site.db.raw()
        try:
            stored = conn.execute("SELECT count(*) FROM members").fetchone()[0]
        finally:
            conn.close()
    if result.imported != rows or stored != rows:
        raise CheckFailed(f"{rows} rows written, {result.imported} imported, {stored} stored")
    return f"{rows} rows through the writer process"


def check_slip_codec(_tmp: Path) -> str:
    from bekasi_field.domain.slip_codec import decode_slip, verify_signature

    _, meta = _sample()
    decoded = decode_slip(meta["text"])
    if not decoded.ok:
        raise CheckFailed(f"sample slip does not decode ({decoded.problem})")
    if not verify_signature(decoded, bytes.fromhex(meta["public_key_hex"])):
        raise CheckFailed("sample slip signature does not verify")
    return f"CBOR + Ed25519 ok, key {meta['key_id']}"


def _gray_sample() -> np.ndarray:
    import cv2

    image, _ = _sample()
    # cv2.imread cannot open non-ASCII paths on Windows; decode from bytes instead.
    import numpy as np

    data = np.frombuffer(image.read_bytes(), dtype=np.uint8)
    gray = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise CheckFailed(f"OpenCV cannot read {image}")
    return gray


def _decoder_check(name: str) -> Callable[[Path], str]:
    def check(_tmp: Path) -> str:
        from bekasi_field.scan import decoders

        try:
            decoder = decoders.make_decoders(names=(name,))
        except KeyError as exc:
            raise CheckFailed(f"unknown decoder {name}") from exc
        if not decoder:
            reason = decoders.available_decoders().get(name) or "not available"
            if _frozen():  # the build bundles both; a missing one is a packaging bug
                raise CheckFailed(reason)
            raise _Skip(reason)
        _, meta = _sample()
        texts = [d.text for d in decoder[0].decode(_gray_sample())]
        if meta["text"] not in texts:
            raise CheckFailed(f"sample slip not read (got {len(texts)} codes)")
        return "sample slip read exactly"

    return check


class _Skip(Exception):
    pass


def check_ktp(_tmp: Path) -> str:
    """The bundled sample KTP photo: the NIK read exactly, through two agreeing reads."""
    from bekasi_field.scan.ktp import KtpReader
    from bekasi_field.scan.sources import read_image

    meta = json.loads(resource_path("samples", "sample_ktp.json").read_text(encoding="utf-8"))
    image = read_image(resource_path("samples", "sample_ktp.jpg"))
    if image is None:
        raise CheckFailed("sample KTP photo not readable")
    got = KtpReader().read_photo(image)
    if got is None or got.nik != meta["nik"]:
        raise CheckFailed(f"sample KTP NIK not read (got {None if got is None else 'another'})")
    return "sample KTP NIK read exactly"


def check_slip_pdf(tmp: Path) -> str:
    """Slips for a tiny demo event, printed, rendered by pdfium, read back and verified."""
    import numpy as np
    import pypdfium2 as pdfium
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from bekasi_field.domain.slip_codec import decode_slip, verify_signature
    from bekasi_field.scan import decoders
    from bekasi_field.services.demo import populate_demo
    from bekasi_field.services.keys import SlipSigner
    from bekasi_field.services.site import Site
    from bekasi_field.services.slips import render_event_slips
    from bekasi_field.store.datakey import ephemeral

    out = tmp / "slips.pdf"
    signer = SlipSigner(Ed25519PrivateKey.generate())  # throwaway, never written anywhere
    with Site.open(tmp / "home", data_key=ephemeral()) as site:
        demo = populate_demo(site.db.engine, households=3, seed=1)
        count = render_event_slips(engine=site.db.engine, event_id=demo.event_id, out=out,
                                   signer=signer)
    pdf = pdfium.PdfDocument(str(out))
    try:
        gray = np.asarray(pdf[0].render(scale=2).to_pil().convert("L"))
    finally:
        pdf.close()
    texts = {d.text for dec in decoders.make_decoders() for d in dec.decode(gray)}
    good = [t for t in texts
            if (s := decode_slip(t)).ok and verify_signature(s, signer.public_bytes)]
    if count == 0 or len(good) != min(count, 8):
        raise CheckFailed(f"{count} slips printed, {len(good)} read back and verified on page 1")
    return f"{count} slips, {out.stat().st_size // 1024} KB, {len(good)} read back and verified"


def check_reports(tmp: Path) -> str:
    import openpyxl

    from bekasi_field.reports.bast_pdf import write_bast
    from bekasi_field.reports.model import BastData, EventSummary, OfficerRef, Totals
    from bekasi_field.reports.xlsx_recap import write_recap

    day = dt.date.today()
    event = EventSummary(id="SELFTEST", name="Uji mandiri", programme="KKS",
                         site_kelurahan="Kota Baru", site_kecamatan="Bekasi Barat",
                         served_kelurahan=["Kota Baru"], start_date=day, end_date=day,
                         item="Kartu KKS", amount=None, status="open")
    data = BastData(event=event, day=day, rows=[], officers=[OfficerRef("p1", "Petugas", "")],
                    supervisors=[], period=(day, day),
                    totals=Totals(households=0, entries=0, by_self=0, by_proxy=0, amount=0,
                                  allocated=0))
    pdf = write_bast(data, tmp / "bast.pdf")
    xlsx = write_recap(event=event, handovers=[], remaining=[], recap=[], out=tmp / "r.xlsx")
    sheets = openpyxl.load_workbook(xlsx).sheetnames
    if not pdf.read_bytes().startswith(b"%PDF") or len(sheets) != 3:
        raise CheckFailed("BAST or recap workbook incomplete")
    return "BAST PDF and recap XLSX written"


def check_qt(tmp: Path) -> str:
    # The Qt probe lives in gui/ (the only place that may import PySide6); it is reached by
    # name like app.py reaches optional parts, so this module stays importable without Qt.
    try:
        probe = importlib.import_module("bekasi_field.gui.selfcheck")
    except ImportError as exc:
        if _frozen():
            raise CheckFailed(f"Qt not loadable: {exc}") from exc
        raise _Skip(str(exc)) from exc
    return str(probe.qt_check(tmp))


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("database", check_database),
    ("roster import", check_roster_import),
    ("slip codec", check_slip_codec),
    *((f"decoder {n}", _decoder_check(n)) for n in DECODERS),
    ("KTP reader", check_ktp),
    ("slip PDF", check_slip_pdf),
    ("reports", check_reports),
    ("Qt", check_qt),
]


def run_checks(checks: list[tuple[str, Callable[[Path], str]]] | None = None) -> list[Outcome]:
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bekasi-selftest-") as tmpdir:
        for name, check in checks or CHECKS:
            tmp = Path(tmpdir) / name.replace(" ", "_")
            tmp.mkdir()
            t0 = time.perf_counter()
            try:
                status, detail = "ok", check(tmp)
            except _Skip as exc:
                status, detail = "skip", str(exc)
            except Exception as exc:  # any failure is a result to report, with its reason
                log.exception("self-test check %s failed", name)
                status, detail = "fail", f"{type(exc).__name__}: {exc}"
            outcomes.append(Outcome(name, status, detail, (time.perf_counter() - t0) * 1000))
    return outcomes


def run(*, stream: TextIO | None = None) -> int:
    """Run every check, print one line each and a summary; 0 when none failed."""
    out = stream or sys.stdout
    t0 = time.perf_counter()
    out.write(f"bekasi-field {__version__} self-test · Python {platform.python_version()} · "
              f"{platform.system()} {platform.machine()}"
              f"{' · frozen' if _frozen() else ''} · QT_QPA_PLATFORM="
              f"{os.environ.get('QT_QPA_PLATFORM', '')}\n")
    outcomes = run_checks()
    labels = {"ok": tr("selftest.ok"), "fail": tr("selftest.fail"), "skip": tr("selftest.skip")}
    for o in outcomes:
        out.write(f"  {labels[o.status]:<7} {o.name:<14} {o.detail} ({o.ms:.0f} ms)\n")
    failed = [o for o in outcomes if o.status == "fail"]
    seconds = f"{time.perf_counter() - t0:.1f}"
    if failed:
        out.write(tr("selftest.summary_fail", failed=len(failed), n=len(outcomes)) + "\n")
    else:
        out.write(tr("selftest.summary_ok", n=len(outcomes), seconds=seconds) + "\n")
    out.flush()
    log.info("self-test: %d checks, %d failed, %s s", len(outcomes), len(failed), seconds)
    return 1 if failed else 0


def _regenerate_sample() -> None:  # pragma: no cover - run by hand when the slip format changes
    """Write resources/samples/sample_slip.{png,json} from a fresh throwaway key."""
    import qrcode
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from qrcode.constants import ERROR_CORRECT_M

    from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
    from bekasi_field.services.keys import SlipSigner

    signer = SlipSigner(Ed25519PrivateKey.generate())
    payload = SlipPayload(key_id=signer.key_id, household_id="SAMPLE-0001", event_id="SELFTEST",
                          item="Kartu KKS", amount=None, expires=dt.date(2099, 12, 31),
                          serial="SELFTEST-1")
    text = encode_slip(payload, sign=signer.sign)
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=4)
    qr.add_data(text, optimize=0)
    qr.make(fit=True)
    folder = resource_path("samples")
    qr.make_image().convert("L").save(folder / "sample_slip.png", optimize=True)
    (folder / "sample_slip.json").write_text(json.dumps({
        "text": text, "public_key_hex": signer.public_bytes.hex(), "key_id": signer.key_id,
        "note": "Self-test sample: signed by a throwaway key that was never stored.",
    }, indent=1), encoding="utf-8")


def _regenerate_ktp_sample() -> None:  # pragma: no cover - run by hand when the layout changes
    """Write resources/samples/sample_ktp.{jpg,json}: a synthetic KTP of nobody on a desk."""
    import random

    import cv2

    from bekasi_field.scan.synthetic_ktp import ktp_photo, make_person

    person = make_person(random.Random(2026))
    photo = ktp_photo("clean", 2026, size=(1280, 720), person=person)
    folder = resource_path("samples")
    cv2.imwrite(str(folder / "sample_ktp.jpg"), photo.image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    (folder / "sample_ktp.json").write_text(json.dumps({
        "nik": person.nik, "name": person.name,
        "note": "Self-test sample: a synthetic KTP-el of nobody (scan/synthetic_ktp.py).",
    }, indent=1), encoding="utf-8")
