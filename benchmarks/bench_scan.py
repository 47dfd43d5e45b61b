"""Decoding speed and hit rate per photo condition, our chain beside raw zxing-cpp, pyzbar and
OpenCV's QRCodeDetector on the same frames (DESIGN §7: decode <= 8 ms median at 1280x720), and
scan-to-verdict (frame in, verdict out) on a 1,000,000-household snapshot (<= 15 ms median,
anchor: the 33 ms between two camera frames at 30 fps).

Frames are the synthetic desk photos of bekasi_field/scan/synthetic.py (fixed seeds), made
once and handed to every decoder as the same greyscale array; ms per frame is the best of two
runs of that frame (the machine is shared). At 640x480 the same desk scene is scaled down, so
a slip has half the pixels per module (a cheaper webcam at the same distance). "Our chain" is the desk's live
configuration (25 ms fall-back budget); "our chain, file" is what `scan` uses (no budget, all
passes); "live on CPU clock" is the live chain with its budget counted in CPU time (what it
reads when it gets its core on a quiet laptop). The snapshot is bench_check's bulk builder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
from bekasi_field.scan.chain import DecoderChain
from bekasi_field.scan.image_fixes import to_gray
from bekasi_field.scan.synthetic import CONDITIONS, photo
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from benchmarks.bench_check import EVENT, build_snapshot, hid
from benchmarks.common import Row, median

Decode = Callable[[np.ndarray], set[str]]
HOLD_FRAMES = 10


def _decoders() -> dict[str, Decode]:
    live = DecoderChain(budget_ms=25.0)
    # The same live chain with its 25 ms counted in the process CPU time: what it reads when
    # the decode thread gets its core (a desk laptop running only the desk), whatever else
    # this shared machine is doing. The desk itself counts wall-clock time.
    live_cpu = DecoderChain(budget_ms=25.0, clock=time.process_time)
    full = DecoderChain(budget_ms=None, exhaustive=True)
    qr = [zxingcpp.BarcodeFormat.QRCode]
    cv = cv2.QRCodeDetector()

    def opencv(g: np.ndarray) -> set[str]:
        text, _, _ = cv.detectAndDecode(g)
        return {text} if text else set()

    return {
        "our chain": lambda g: {d.text for d in live.decode(g)},
        "our chain, CPU clock": lambda g: {d.text for d in live_cpu.decode(g)},
        "our chain, file": lambda g: {d.text for d in full.decode(g)},
        "raw zxing-cpp": lambda g: {b.text for b in zxingcpp.read_barcodes(g, formats=qr)},
        "pyzbar": lambda g: {s.data.decode("utf-8", "replace") for s in
                             pyzbar.decode(g, symbols=[pyzbar.ZBarSymbol.QRCODE])},
        "OpenCV QRCodeDetector": opencv,
    }


def _decode_rows(size: tuple[int, int], per_condition: int) -> list[Row]:
    frames = [(c, photo(c, 1000 + s, size=size)) for c in CONDITIONS
              for s in range(per_condition)]
    grays = [(c, to_gray(p.image), p.texts) for c, p in frames]
    decoders = _decoders()
    ms: dict[str, list[float]] = {n: [] for n in decoders}
    hits: dict[str, dict[str, int]] = {n: {c: 0 for c in CONDITIONS} for n in decoders}
    wanted = {c: 0 for c in CONDITIONS}
    false_reads = {n: 0 for n in decoders}
    for c, g, texts in grays:
        wanted[c] += len(texts)
        for name, fn in decoders.items():
            # Best of 2 per frame: this 2-core machine is shared with other jobs, and a frame
            # that happened to wait for the CPU says nothing about the decoder. The hit count
            # is the first run's. File mode runs once (no budget to compare with; slow).
            best = float("inf")
            for rep in range(1 if name in ("our chain, file", "our chain, CPU clock") else 2):
                t = time.perf_counter()
                got_now = fn(g)
                best = min(best, (time.perf_counter() - t) * 1000)
                if rep == 0:
                    got = got_now
            ms[name].append(best)
            hits[name][c] += len(got & texts)
            false_reads[name] += len(got - texts)
    # A slip held still in front of the camera: the same frame again, up to HOLD_FRAMES times
    # (a third of a second at 30 fps), through one live chain (wall-clock budget, as at the
    # desk); it counts when any of those frames reads it. The live chain rotates its fall-backs
    # from frame to frame, so this is what the officer sees; a real camera's frames also differ
    # a little (sensor noise, hand), which this does not model.
    held = DecoderChain(budget_ms=25.0)
    held_hits = {c: 0 for c in CONDITIONS}
    held_false = 0
    for c, g, texts in grays:
        seen: set[str] = set()
        for _ in range(HOLD_FRAMES):
            seen |= {d.text for d in held.decode(g)}
            if texts and texts <= seen:
                break
        held_hits[c] += len(seen & texts)
        held_false += len(seen - texts)
    hits["held"] = held_hits
    w, h = size
    label = f"{w}x{h}"
    ours = median(ms["our chain"])
    budget = "<= 8 ms median" if size == (1280, 720) else ""
    n = len(grays)
    rows = [
        Row(f"decode {label}, our chain (median of {n} frames)", ours, "ms", budget,
            "pyzbar", median(ms["pyzbar"])),
        Row(f"decode {label}, our chain", ours, "ms", budget,
            "OpenCV QRCodeDetector", median(ms["OpenCV QRCodeDetector"])),
        Row(f"decode {label}, our chain", ours, "ms", budget,
            "raw zxing-cpp", median(ms["raw zxing-cpp"])),
        Row(f"decode {label}, our chain, live on CPU clock (25 ms budget)",
            median(ms["our chain, CPU clock"]), "ms", "", "raw zxing-cpp",
            median(ms["raw zxing-cpp"]),
            note=f"p90 {np.percentile(ms['our chain, CPU clock'], 90):.0f} ms, max "
                 f"{max(ms['our chain, CPU clock']):.0f} ms wall; the live chain's p90 "
                 f"{np.percentile(ms['our chain'], 90):.0f} ms, max {max(ms['our chain']):.0f} ms"),
        Row(f"decode {label}, our chain, file mode (no budget)", median(ms["our chain, file"]),
            "ms", "", "raw zxing-cpp", median(ms["raw zxing-cpp"]),
            note=f"p90 {np.percentile(ms['our chain, file'], 90):.0f} ms"),
    ]

    def rate(name: str, conds: list[str]) -> float:
        want = sum(wanted[c] for c in conds)
        return 100.0 * sum(hits[name][c] for c in conds) / want if want else 0.0

    coded = [c for c in CONDITIONS if wanted[c]]
    target = {(1280, 720): ">= 95 %", (640, 480): ">= 90 %"}.get(size, "")
    rows.append(Row(f"hit rate {label}, all conditions, our chain", rate("our chain", coded), "%",
                    target, "raw zxing-cpp", rate("raw zxing-cpp", coded),
                    note=f"live on CPU clock {rate('our chain, CPU clock', coded):.0f}%, "
                         f"held {HOLD_FRAMES} frames {rate('held', coded):.0f}% "
                         f"({held_false} false), file mode {rate('our chain, file', coded):.0f}%, pyzbar "
                         f"{rate('pyzbar', coded):.0f}%, OpenCV "
                         f"{rate('OpenCV QRCodeDetector', coded):.0f}%; false reads: "
                         + ", ".join(f"{k} {v}" for k, v in false_reads.items())))
    for c in coded:
        rows.append(Row(f"hit rate {label}, {c}, our chain", rate("our chain", [c]), "%", "",
                        "raw zxing-cpp", rate("raw zxing-cpp", [c]),
                        note=f"live on CPU clock {rate('our chain, CPU clock', [c]):.0f}%, "
                             f"held {HOLD_FRAMES} frames {rate('held', [c]):.0f}%, file mode {rate('our chain, file', [c]):.0f}%, pyzbar "
                             f"{rate('pyzbar', [c]):.0f}%, OpenCV "
                             f"{rate('OpenCV QRCodeDetector', [c]):.0f}%"))
    return rows


def _scan_to_verdict(quick: bool) -> list[Row]:
    n = 20_000 if quick else 1_000_000
    frames_n = 8 if quick else 60
    workdir = Path(tempfile.mkdtemp(prefix="bench-scan-", dir=Path.cwd()))
    try:
        site = Site.open(workdir / "home")
        t0 = time.perf_counter()
        signer = build_snapshot(site, n, journal_entries=100)
        build_s = time.perf_counter() - t0
        expires = dt.date.today() + dt.timedelta(days=7)
        rng = np.random.default_rng(11)
        conditions = ["clean", "rotated", "perspective", "shadow", "glare", "dim"]
        frames = []
        for k in range(frames_n):
            # Entitled at Kota Baru and active in bench_check's snapshot: i % 10 == 0, i % 50 != 0.
            i = (int(rng.integers(200, n // 50)) * 5 + int(rng.integers(1, 5))) * 10
            slip = encode_slip(SlipPayload(key_id=signer.key_id, household_id=hid(i),
                                           event_id=EVENT, item="Kartu KKS", amount=None,
                                           expires=expires, serial=f"S{i:010d}"),
                               sign=signer.sign)
            frames.append(photo(conditions[k % len(conditions)], 2000 + k, texts=[slip]).image)
        chain = DecoderChain(budget_ms=25.0)
        engine = VerdictEngine(site.db)
        for f in frames[:3]:  # warm caches the way a running desk has them
            for d in chain.decode(f):
                engine.check(d.text, event_id=EVENT)
        times, verdicts = [], {}
        for f in frames:
            t = time.perf_counter()
            for d in chain.decode(f):  # BGR camera frame in, verdict out
                v = engine.check(d.text, event_id=EVENT)
                verdicts[v.code.value] = verdicts.get(v.code.value, 0) + 1
            times.append((time.perf_counter() - t) * 1000)
        engine.close()
        site.close()
        mix = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
        return [
            Row(f"scan-to-verdict 1280x720, {n:,} households (median of {frames_n})",
                median(times), "ms", "<= 15 ms median", "time between camera frames at 30 fps",
                1000 / 30, note=f"verdicts: {mix}; p90 {np.percentile(times, 90):.1f} ms"),
            Row("scan bench snapshot build", build_s, "s", note=f"{n:,} households"),
        ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(quick: bool) -> list[Row]:
    rows = _decode_rows((1280, 720), 1 if quick else 8)
    rows += _decode_rows((640, 480), 1 if quick else 4)
    rows += _scan_to_verdict(quick)
    return rows
