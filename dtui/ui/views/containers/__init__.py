"""The container view: the table, its actions and the screen (the first resource view)."""
