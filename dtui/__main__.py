"""``python -m dtui``."""

from dtui.entry import main

raise SystemExit(main())
