"""A reference evaluator of the context store's query language over plain Python records.

Written from the documented semantics (``language``, ``compiler`` and ``text`` module docstrings), not
from the SQL: the property tests hold both databases' answers to it. It shares only the parsed tree:

* a path walks objects by key; at a list segment it fans out over the list's elements (a value that is
  not a list has none), so a leaf on a path through lists is true when some reached value satisfies it;
* a leaf is false on a missing or null value, except ``eq null``, which is true when the path reaches
  no non-null value (missing, null, an empty list, or a list whose elements all lack it);
* ``neq`` and ``not`` negate their operand; ``in`` is the ``or`` of ``eq`` over its values;
* a comparison on an untyped field holds only when the stored value has the compared value's JSON
  type (a number never equals a string, nor a boolean a number);
* text: words are runs of letters and digits, lower-cased; ``like`` folds case and ``%`` matches any
  run (every other character, ``_`` included, itself); ``keyword`` needs one query word as a whole
  word; ``fuzzy`` needs every query word to prefix a field word or be within its typo tolerance of it
  (whole, or cut to the query word's length): none up to 3 characters, one edit up to 7, two beyond;
* sorting: missing values last in both directions, then the record id ascending.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ashby_agent.store.query.fields import Kind, Path, Segment
from ashby_agent.store.query.language import And, AnyOf, Compare, Condition, In, Not, Or, Text

__all__ = ["evaluate", "matching", "sort_records", "values_at"]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def values_at(document: Any, segments: Sequence[Segment]) -> list[Any]:
    """Every value ``segments`` reach from ``document`` (``None`` for a missing or null one)."""
    if not segments:
        return [document]
    head, rest = segments[0], segments[1:]
    value = document.get(head.key) if isinstance(document, dict) else None
    if not head.array:
        return values_at(value, rest)
    items = value if isinstance(value, list) else []
    return [found for item in items for found in values_at(item, rest)]


def _json_kind(value: Any) -> Kind | None:
    if isinstance(value, bool):
        return Kind.BOOLEAN
    if isinstance(value, (int, float)):
        return Kind.NUMBER
    if isinstance(value, str):
        return Kind.STRING
    return None


def _compare(kind: Kind, stored: Any, op: str, value: Any) -> bool:
    wanted = _json_kind(value) if kind is Kind.ANY else kind
    if wanted in (Kind.TIMESTAMP, Kind.DATE):
        wanted = Kind.STRING  # instants and dates are text in one canonical form
    if stored is None or _json_kind(stored) is not wanted:
        return False
    return _ORDER[op](stored, value)


def words(text: str) -> list[str]:
    return ["".join(run) for alnum, run in itertools.groupby(text.lower(), str.isalnum) if alnum]


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def _tolerance(word: str) -> int:
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def _fuzzy_word(query: str, word: str) -> bool:
    allowed = _tolerance(query)
    return (
        word.startswith(query)
        or _distance(query, word) <= allowed
        or _distance(query, word[: len(query)]) <= allowed
    )


def like(text: str, pattern: str) -> bool:
    """SQL ``LIKE`` with ``%`` only, case-folded: anchored first and last pieces, the rest in order."""
    text, pieces = text.lower(), pattern.lower().split("%")
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _text(op: str, stored: Any, value: str) -> bool:
    if not isinstance(stored, str):
        return False
    if op == "like":
        return like(stored, value)
    query = list(dict.fromkeys(words(value)))
    found = words(stored)
    if op == "keyword":
        return any(word in found for word in query)
    return bool(query) and all(any(_fuzzy_word(q, w) for w in found) for q in query)


def evaluate(condition: Condition, document: Any) -> bool:
    """Whether ``document`` (a record, or one element of a list for ``any``) satisfies ``condition``."""
    match condition:
        case And(conditions=items):
            return all(evaluate(item, document) for item in items)
        case Or(conditions=items):
            return any(evaluate(item, document) for item in items)
        case Not(condition=inner):
            return not evaluate(inner, document)
        case Compare(op="neq", path=path, value=value):
            return not evaluate(Compare("eq", path, value), document)
        case Compare(op="eq", path=path, value=None):
            return all(found is None for found in values_at(document, path.segments))
        case Compare(op=op, path=path, value=value):
            return any(_compare(path.kind, found, op, value) for found in values_at(document, path.segments))
        case In(path=path, values=values):
            return any(evaluate(Compare("eq", path, value), document) for value in values)
        case Text(op=op, path=path, value=value):
            return any(_text(op, found, value) for found in values_at(document, path.segments))
        case AnyOf(path=path, condition=inner):
            return any(evaluate(inner, element) for element in values_at(document, path.segments))
    raise AssertionError(condition)


def matching(records: Iterable[dict[str, Any]], condition: Condition) -> list[dict[str, Any]]:
    return [record for record in records if evaluate(condition, record)]


def sort_records(
    records: Iterable[dict[str, Any]], keys: Sequence[tuple[Path, bool]]
) -> list[dict[str, Any]]:
    """``records`` ordered by ``(path, descending)`` keys, missing values last, then by id (stable
    sorts from the last key to the first)."""
    ordered = sorted(records, key=lambda record: str(record["id"]))
    for path, descending in reversed(keys):
        assert not path.through_array, path.text

        def value(record: dict[str, Any], path: Path = path) -> Any:
            return values_at(record, path.segments)[0]

        present = [record for record in ordered if value(record) is not None]
        missing = [record for record in ordered if value(record) is None]
        ordered = sorted(present, key=value, reverse=descending) + missing
    return ordered
