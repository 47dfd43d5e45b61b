"""Benchmarks (DESIGN.md §7): each `bench_*.py` module has `run(quick: bool) -> list[Row]`.

Benchmark sites keep their data keys in a key store of their own (the tests' file-backed one,
in bench-out/), in this process and in the child processes the benchmarks start: a benchmark
never writes to the machine's real key store, and never waits on a passphrase KDF.
"""

import os
import sys
from pathlib import Path

_SUPPORT = str(Path(__file__).resolve().parent.parent / "tests" / "support")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_SUPPORT, os.environ.get("PYTHONPATH", "")) if p)
os.environ["PYTHON_KEYRING_BACKEND"] = "test_keyring.FileKeyring"
os.environ.setdefault("BEKASI_TEST_KEYRING", str(Path.cwd().resolve() / "bench-out" / "keystore.json"))
(Path.cwd() / "bench-out").mkdir(exist_ok=True)
