"""What a benchmark returns, and small timing helpers shared by the benchmark modules."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass
class Row:
    """One measurement printed beside its anchor from the same run."""

    what: str
    value: float
    unit: str
    budget: str = ""
    anchor: str = ""  # e.g. "raw sqlite3 executemany"
    anchor_value: float | None = None
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def time_each(fn: Callable[[], object], n: int) -> list[float]:
    """Milliseconds per call over n calls."""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def vm_hwm_mb() -> float:
    """Peak resident memory of this process, in MiB. For a benchmark's child process use this,
    not ru_maxrss: Linux carries ru_maxrss over exec(), so a child started by a big benchmark
    process reports at least its parent's peak, while VmHWM belongs to the child alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GiB, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")
