"""``python -m tests.bench``."""

from tests.bench.cli import main

raise SystemExit(main())
