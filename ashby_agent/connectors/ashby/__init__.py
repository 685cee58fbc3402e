"""The Ashby connector: ``AshbyConnector`` and its auth config.

Importing this package is cheap: the names below load on first use, and pydantic's model machinery and
the record models only when something needs them (an ``AshbyAuthConfig``, a call, a record class).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.connector import AshbyConnector, EntityResource
    from ashby_agent.connectors.ashby.models import AshbyAuthConfig

_EXPORTS = {
    "AshbyConnector": "ashby_agent.connectors.ashby.connector",
    "EntityResource": "ashby_agent.connectors.ashby.connector",
    "AshbyAuthConfig": "ashby_agent.connectors.ashby.models",
}

__all__ = ["AshbyAuthConfig", "AshbyConnector", "EntityResource"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
