"""``python -m dtui``."""

from dtui.cli import main

raise SystemExit(main())
