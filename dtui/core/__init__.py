"""Headless logic between the engine and the UI: hosts, filters, forms, plans, samplers.

Nothing here imports Textual or Rich (``tests/test_layers.py`` proves it), so the CLI and
the benchmarks use it without loading the UI.
"""
