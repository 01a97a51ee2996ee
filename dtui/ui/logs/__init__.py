"""Log screens and the log view, and what they read: the `LogSource` protocol.

Modules, from the bottom up:

* ``source.py``: `LogSource` (what a log screen follows), `LogRequest`, `SourceStatus`,
  and `ContainerLogSource` (one container, through the engine's `LogFollower`).
* ``rows.py``, ``view_base.py``, ``view_search.py``, ``view_render.py``, ``view.py``: the
  bounded, virtualised `LogView` (what a line is, layout and scroll lock, search, drawing).
* ``search_pattern.py``: `SearchPattern` (plain text or ``re:``, smart case).
* ``base.py``, ``search.py``, ``save.py``: the layers every log screen shares (layout and
  batched intake, search and filter, saving to a new file).
* ``screen.py``: `LogScreen`, over one container or any `LogSource`.
* ``merged.py``, ``picker.py``, ``labels.py``: `MergedLogScreen` (several containers in
  timestamp order), its container picker, the coloured name column.

Another screen opens a log screen over its own source with
``LogScreen(source, max_lines=..., tail=...)``: see `dtui.ui.logs.source`.
"""
