"""The context store's actions, declared once: names, the old alias, what each is for and its params.

They run on the replicated copy of Ashby's data instead of Ashby itself (local mode: the connector's
``context_store``; hosted mode: the service's store), and are offered on every entity the store
keeps. ``execute``, the agent tool description, the hosted service and ``docs/REFERENCE.md`` read
these declarations; the store (:mod:`ashby_agent.store`) implements them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "AGGREGATE",
    "DESCRIBE",
    "SEARCH",
    "SQL_ENTITY",
    "SQL_QUERY",
    "STORE_ACTIONS",
    "STORE_ALIASES",
    "STORE_ENV",
    "StoreAction",
    "store_action",
]

SEARCH: Final = "context_store_search"
AGGREGATE: Final = "context_store_aggregate"
SQL_QUERY: Final = "context_store_sql_query"
#: The environment variable naming the local context store (a database URL or an SQLite file).
STORE_ENV: Final = "ASHBY_AGENT_STORE"
#: The action that describes one entity's operations on demand (progressive disclosure).
DESCRIBE: Final = "describe"
#: The entity to name with ``context_store_sql_query``, whose SQL names its own tables (any stored
#: entity's name is accepted as well).
SQL_ENTITY: Final = "context_store"


@dataclass(frozen=True, slots=True)
class StoreAction:
    name: str
    #: When to use it, in one line (the tool description shows it).
    use: str
    #: Its params, compactly.
    params: str


STORE_ACTIONS: Final[Mapping[str, StoreAction]] = {
    SEARCH: StoreAction(
        SEARCH,
        "records matching a condition, sorted, paged",
        "query={filter: condition, sort: [{field: asc|desc}]}, limit<=100, cursor, fields, fresh",
    ),
    AGGREGATE: StoreAction(
        AGGREGATE,
        "counts and group-bys in one call",
        "filter, group_by=[path | {field, bucket: day|week|month}], metrics={name: "
        "{count|count_distinct|min|max|sum|avg: path|*}}, having (on metrics), sort, limit, fresh",
    ),
    SQL_QUERY: StoreAction(
        SQL_QUERY,
        "one read-only SELECT over views named like the entities (snake_case columns), for the rest",
        f"sql, limit; entity={SQL_ENTITY}",
    ),
}

#: Old or short names accepted for the store actions.
STORE_ALIASES: Final[Mapping[str, str]] = {"search": SEARCH}


def store_action(action: Any) -> str | None:
    """The store action ``action`` names (an alias included), or ``None``."""
    if not isinstance(action, str):
        return None
    name = STORE_ALIASES.get(action, action)
    return name if name in STORE_ACTIONS else None
