"""The KTP reader (DESIGN §7: a KTP read from a 1280x720 frame <= 300 ms median, on a worker),
beside the QR decode of the same frame; exact-NIK rate and wrong NIKs per condition, at
1280x720 and 640x480, on the synthetic KTP-el photos of bekasi_field/scan/synthetic_ktp.py.

Times are CPU milliseconds of this process (the OCR runs on one thread, as on the desk's
camera worker), so they do not depend on what else the shared machine is doing; wall-clock
medians are given in the note. A "wrong NIK" is a NIK returned that is not the card's: the
worst outcome, which the reader must never give.
"""

from __future__ import annotations

import time

from bekasi_field.scan.chain import DecoderChain
from bekasi_field.scan.image_fixes import to_gray
from bekasi_field.scan.ktp import KtpReader
from bekasi_field.scan.synthetic_ktp import KTP_CONDITIONS, ktp_photo
from benchmarks.common import Row, median


def _rows(reader: KtpReader, size: tuple[int, int], per_condition: int) -> list[Row]:
    chain = DecoderChain(budget_ms=25.0)
    cpu_ms: list[float] = []
    wall_ms: list[float] = []
    qr_ms: list[float] = []
    exact: dict[str, int] = {}
    wrong: dict[str, int] = {}
    cards: dict[str, int] = {}
    false_on_empty = 0
    for cond in KTP_CONDITIONS:
        for seed in range(per_condition):
            photo = ktp_photo(cond, 5000 + seed, size=size)
            t_cpu, t_wall = time.process_time(), time.perf_counter()
            got = reader.read(photo.image)
            cpu_ms.append((time.process_time() - t_cpu) * 1000)
            wall_ms.append((time.perf_counter() - t_wall) * 1000)
            t_cpu = time.process_time()
            chain.decode(to_gray(photo.image))
            qr_ms.append((time.process_time() - t_cpu) * 1000)
            if photo.person is None:
                false_on_empty += got is not None
                continue
            cards[cond] = cards.get(cond, 0) + 1
            exact[cond] = exact.get(cond, 0) + (got is not None and got.nik == photo.person.nik)
            wrong[cond] = wrong.get(cond, 0) + (got is not None and got.nik != photo.person.nik)
    label = f"{size[0]}x{size[1]}"
    total = sum(cards.values())
    rows = [
        Row(f"KTP read {label} (median CPU ms of {len(cpu_ms)} frames)", median(cpu_ms), "ms",
            "<= 300 ms median" if size == (1280, 720) else "",
            "QR decode of the same frames (live chain)", median(qr_ms),
            note=f"wall-clock median {median(wall_ms):.0f} ms"),
        Row(f"KTP exact NIK {label}, all conditions", 100.0 * sum(exact.values()) / total, "%",
            ">= 95 %", note=f"wrong NIKs {sum(wrong.values())} of {total} cards; "
                            f"a NIK from a frame with no card: {false_on_empty}"),
    ]
    for cond, n in cards.items():
        rows.append(Row(f"KTP exact NIK {label}, {cond}", 100.0 * exact[cond] / n, "%",
                        note=f"wrong {wrong[cond]} of {n}"))
    return rows


def run(quick: bool) -> list[Row]:
    reader = KtpReader()
    reader.read(ktp_photo("clean", 1).image)  # load the models before timing
    rows = _rows(reader, (1280, 720), 2 if quick else 20)
    rows += _rows(reader, (640, 480), 1 if quick else 10)
    return rows
