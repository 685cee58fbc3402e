"""``fuzzy`` and ``keyword`` on a word-indexed field: through ``store_words`` instead of every record.

The answer is the one the scan gives (same words, same matching rules from :mod:`.text`): ``keyword``
looks the query's words up; ``fuzzy`` tests each query word against the field's vocabulary (a few
thousand words where the records are many thousands), then takes the records holding a matching word.
Both subqueries are uncorrelated, so each runs once per statement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ashby_agent.store.query import text
from ashby_agent.store.query.dialects import Dialect

__all__ = ["word_condition"]


def word_condition(
    dialect: Dialect,
    param: Callable[[Any], str],
    scope: tuple[str, str],
    field: str,
    op: str,
    value: str,
) -> str:
    """The condition on ``r.record_id`` for ``op`` (``fuzzy``/``keyword``) on word-indexed ``field``;
    ``scope`` is the bound parameter names of the connector id and the entity."""
    connector, entity = scope
    found = text.query_words(value)
    if not found:
        return dialect.false
    field_name = param(field)

    def holding(words_sql: str) -> str:
        return (
            f"r.record_id IN (SELECT w.record_id FROM store_words AS w WHERE w.connector_id = :{connector} "
            f"AND w.entity = :{entity} AND w.field = :{field_name} AND w.word IN ({words_sql}))"
        )

    if op == "keyword":
        return holding(", ".join(f":{param(word[:255])}" for word in found))
    parts = []
    for word in found:
        test = dialect.fuzzy("v.word", [word], param)
        vocabulary = (
            f"SELECT v.word FROM store_vocabulary AS v WHERE v.connector_id = :{connector} "
            f"AND v.entity = :{entity} AND v.field = :{field_name} AND ({test})"
        )
        parts.append(holding(vocabulary))
    return "(" + " AND ".join(parts) + ")"
