"""Searching a log screen: the ``/`` prompt, ``n``/``N`` through matches, ``&`` to filter.

The matching itself lives in the `LogView` (``view_search.py``); this layer owns the prompt
(``re:`` prefix or ctrl+r for a regular expression, smart case) and the marker's summary.
"""

from __future__ import annotations

from rich.text import Text

from dtui.ui.logs.base import LogScreenBase, PromptKind
from dtui.ui.logs.search_pattern import REGEX_PREFIX, SearchPattern
from dtui.ui.safe_text import safe_line


class LogSearchScreen(LogScreenBase):
    """A log screen with search and filter (see `LogScreenBase` for the arguments)."""

    def action_prompt_search(self) -> None:
        """Ask what to search for (``re:`` prefix or ctrl+r: regular expression)."""
        search = self.view.search
        value = "" if search is None else (REGEX_PREFIX if search.regex else "") + search.query
        self._open_prompt("search", value, "search: text, or re:<regex> (ctrl+r); empty: clear")
        self._refresh_search_title(value)

    def action_next_match(self) -> None:
        """Show the next matching line."""
        self._step_match(backwards=False)

    def action_previous_match(self) -> None:
        """Show the previous matching line."""
        self._step_match(backwards=True)

    def _step_match(self, *, backwards: bool) -> None:
        view = self.view
        if view.search is None:
            self.notify("No search: press / to search", markup=False)
        elif not view.next_match(backwards=backwards):
            self.notify("No match (yet)", markup=False)

    def action_toggle_filter(self) -> None:
        """Show only the matching lines, or every line again."""
        view = self.view
        if view.search is None:
            self.notify("No search: press / to search, then & to filter", markup=False)
            return
        view.filter_matches = not view.filter_matches
        self._refresh_marker()

    def action_toggle_regex(self) -> None:
        """In the search prompt: switch between plain text and regular expression."""
        if self._prompt_kind != "search":
            return
        value = self.prompt.value
        value = value[len(REGEX_PREFIX) :] if value.startswith(REGEX_PREFIX) else REGEX_PREFIX + value
        self._fill_prompt(value)
        self._refresh_search_title(value)

    def _refresh_search_title(self, value: str) -> None:
        regex = value.startswith(REGEX_PREFIX)
        self.prompt.border_title = "search (regex)" if regex else "search (text)"

    def _prompt_value_submitted(self, kind: PromptKind, value: str) -> None:
        if kind != "search":
            super()._prompt_value_submitted(kind, value)
            return
        if value in {"", REGEX_PREFIX}:
            self._close_prompt()
            self.view.set_search(None)
            self._refresh_marker()
            return
        try:
            pattern = SearchPattern.parse(value)
        except ValueError as error:
            self.notify(str(error), title="Invalid search", severity="warning", markup=False)
            return
        self._close_prompt()
        self.view.set_search(pattern)
        self._refresh_marker()

    def _marker_extra(self) -> Text:
        """`` · /query 3/120`` (plus ``filter``, ``…`` while scanning), or nothing."""
        view = self.view
        search = view.search
        summary = super()._marker_extra()
        if search is None:
            return summary
        summary.append(" · " + ("re:" if search.regex else "/"))
        summary.append_text(safe_line(search.query, max_length=20))
        position = view.match_position or "-"
        summary.append(f" {position}/{view.match_count}{'…' if view.searching else ''}")
        if view.filter_matches:
            summary.append(" · filter")
        return summary
