"""What dtui cannot do when it runs in a web browser (``dtui serve``)."""

from __future__ import annotations

from textual.app import App


def running_in_browser(app: App[object]) -> bool:
    """True when ``app`` is served to a browser (textual-serve's web driver), not a terminal."""
    return app.is_web


def refuse_in_browser(app: App[object], what: str) -> bool:
    """Tell the user ``what`` needs a real terminal, when in a browser.

    Returns:
        True when refused (the caller stops), False in a terminal.
    """
    if not running_in_browser(app):
        return False
    app.notify(
        f"{what} needs a real terminal; it cannot run in a browser (dtui serve).",
        title="Not in a browser", severity="warning", markup=False,
    )
    return True
