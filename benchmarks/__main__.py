"""`make bench`: run every benchmark module, print a table, write bench-out/results.{json,md}.

python -m benchmarks [--quick] [NAME ...]   (NAME: the part after bench_, e.g. import)
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks.common import Row, machine


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks")
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    mods = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                  if m.name.startswith("bench_"))
    if args.names:
        mods = [m for m in mods if m.removeprefix("bench_") in args.names]
    rows: list[tuple[str, Row]] = []
    for name in mods:
        print(f"== {name}", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        for row in module.run(args.quick):
            rows.append((name, row))
            print(f"   {row.what}: {_fmt(row.value)} {row.unit}"
                  + (f"  (anchor {row.anchor}: {_fmt(row.anchor_value)})" if row.anchor else ""),
                  file=sys.stderr, flush=True)
    lines = [f"Machine: {machine()}", "",
             "| benchmark | result | budget | anchor (same run) | note |",
             "| --- | --- | --- | --- | --- |"]
    for _, r in rows:
        anchor = f"{r.anchor}: {_fmt(r.anchor_value)} {r.unit}" if r.anchor else "—"
        lines.append(f"| {r.what} | {_fmt(r.value)} {r.unit} | {r.budget or '—'} | {anchor} | {r.note} |")
    table = "\n".join(lines)
    print(table)
    out = Path("bench-out")
    out.mkdir(exist_ok=True)
    (out / "results.md").write_text(table + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps(
        {"machine": machine(), "rows": [dict(module=m, **r.as_dict()) for m, r in rows]},
        indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
