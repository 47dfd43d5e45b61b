"""Benchmarks (DESIGN.md §7): each `bench_*.py` module has `run(quick: bool) -> list[Row]`."""
