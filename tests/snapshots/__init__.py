"""Full-app snapshot tests of every main screen and modal (pytest-textual-snapshot)."""
