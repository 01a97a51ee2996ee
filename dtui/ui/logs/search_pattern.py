"""What the user searches a log for: plain text or a regular expression, smart case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

REGEX_PREFIX: Final = "re:"
"""A search query starting with this is a regular expression; otherwise plain text."""


@dataclass(frozen=True, slots=True)
class SearchPattern:
    """A compiled search: plain text or a regular expression, smart case.

    Attributes:
        query: What the user typed (without the ``re:`` prefix).
        regex: Whether ``query`` is a regular expression.
        compiled: The pattern matched against each line's plain text.
    """

    query: str
    regex: bool
    compiled: re.Pattern[str]

    @classmethod
    def parse(cls, text: str) -> SearchPattern:
        """Compile what the user typed: ``re:<regex>`` or plain text.

        Smart case: the search ignores case unless the query holds an upper-case letter.

        Args:
            text: The prompt's value.

        Returns:
            The compiled search.

        Raises:
            ValueError: The query is empty or not a valid regular expression.
        """
        regex = text.startswith(REGEX_PREFIX)
        query = text[len(REGEX_PREFIX) :] if regex else text
        if not query:
            raise ValueError("empty search")
        flags = 0 if any(char.isupper() for char in query) else re.IGNORECASE
        try:
            compiled = re.compile(query if regex else re.escape(query), flags)
        except re.error as error:
            raise ValueError(f"invalid regular expression: {error}") from None
        return cls(query, regex, compiled)
