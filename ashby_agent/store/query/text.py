"""Text matching shared by SQLite (registered as SQL functions) and the reference evaluator.

* ``like``: case-insensitive; ``%`` matches any run of characters; every other character (``_``
  included) matches itself.
* ``keyword``: the field contains at least one of the query's words, as a whole word.
* ``fuzzy``: every query word matches some word of the field: the field word starts with it, or is
  within its typo tolerance of it (whole, or cut to the query word's length). Tolerance: none up to 3
  characters, one edit up to 7, two beyond.

Words are runs of letters and digits, lower-cased; everything else separates them.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, Final

from rapidfuzz.distance import Levenshtein

__all__ = [
    "fuzzy_match",
    "keyword_match",
    "like_match",
    "like_pattern",
    "query_words",
    "register",
    "tolerance",
    "words",
]

_SEPARATORS: Final = re.compile(r"[\W_]+")
#: Longest word compared (PostgreSQL's ``levenshtein`` takes at most 255 characters).
_MAX_WORD: Final = 255


def words(text: str) -> list[str]:
    return [word for word in _SEPARATORS.split(text.lower()) if word]


def query_words(text: str) -> list[str]:
    """The distinct words of a query, in order."""
    return list(dict.fromkeys(words(text)))


def tolerance(word: str) -> int:
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def _word_matches(query: str, word: str, allowed: int) -> bool:
    if word.startswith(query):
        return True
    if not allowed:
        return False
    word = word[:_MAX_WORD]
    return (
        Levenshtein.distance(query, word, score_cutoff=allowed) <= allowed
        or Levenshtein.distance(query, word[: len(query)], score_cutoff=allowed) <= allowed
    )


def fuzzy_match(text: str, query: str) -> bool:
    found = words(text)
    return all(any(_word_matches(q, w, tolerance(q)) for w in found) for q in query_words(query))


def keyword_match(text: str, query: str) -> bool:
    return not set(words(text)).isdisjoint(query_words(query))


def like_pattern(pattern: str) -> str:
    """``pattern`` as a SQL ``LIKE ... ESCAPE '\\'`` operand: lower-cased, ``_`` and ``\\`` literal."""
    return pattern.lower().replace("\\", "\\\\").replace("_", "\\_")


def like_match(text: str, pattern: str) -> bool:
    regex = ".*".join(re.escape(part) for part in pattern.lower().split("%"))
    return re.fullmatch(regex, text.lower(), re.DOTALL) is not None


def _sql_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _sql_words(value: Any) -> Any:
    return " " + " ".join(words(value)) + " " if isinstance(value, str) else None


def _sql_fuzzy(value: Any, word: Any, allowed: Any) -> int | None:
    if not isinstance(value, str) or not isinstance(word, str):
        return None
    return int(any(_word_matches(word, w, int(allowed)) for w in words(value)))


def register(connection: sqlite3.Connection) -> None:
    """Make ``ashby_lower``, ``ashby_words`` and ``ashby_fuzzy`` callable on a SQLite connection."""
    connection.create_function("ashby_lower", 1, _sql_lower, deterministic=True)
    connection.create_function("ashby_words", 1, _sql_words, deterministic=True)
    connection.create_function("ashby_fuzzy", 3, _sql_fuzzy, deterministic=True)
