"""The benchmark harness: ``python -m tests.bench`` prints the table of dtui's figures.

Not collected by pytest (``norecursedirs``); ``tests/test_bench_smoke.py`` runs a tiny version.
Rows register in ``tests/bench/rows/`` through ``tests.bench.registry.bench_row``.
"""
