"""Live state: what each engine holds now, kept current from its ``/events`` stream.

Headless (no Textual, no Rich): a :class:`~dtui.live.state.LiveState` runs one
:class:`~dtui.live.feed.Feed` per (kind, host). A feed subscribes to the host's events, THEN
lists, then follows the events (debounced re-lists), pings a silent stream, and reconnects
with backoff. Listeners receive past-tense :mod:`~dtui.live.changes`; screens turn them into
messages (``dtui.ui.views.live``). A *kind* (:class:`~dtui.live.kind.Kind`) says how one sort of
object is listed and which events touch it: containers today, images, volumes, networks,
services... tomorrow.
"""
