"""Benchmark rows: every module here is imported by ``tests.bench.registry.load_rows``.

Add a module with ``@bench_row(...)`` functions to add rows (see ``tests/bench/registry.py``).
"""
