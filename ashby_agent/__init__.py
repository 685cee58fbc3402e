"""ashby-agent: safe, fast, typed access to the Ashby ATS for AI agents.

Importing this package is cheap: the public names below load on first use, and no agent framework
is ever imported here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ashby_agent._version import __version__

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
    from ashby_agent.errors import (
        AshbyAgentError,
        AshbyAPIError,
        AuthenticationError,
        InvalidRequestError,
        MissingExtraError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        TransportError,
    )
    from ashby_agent.hosted.connect import connect
    from ashby_agent.types import AirbyteAuthConfig

_EXPORTS = {
    "AshbyConnector": "ashby_agent.connectors.ashby",
    "AshbyAuthConfig": "ashby_agent.connectors.ashby",
    "AirbyteAuthConfig": "ashby_agent.types",
    "connect": "ashby_agent.hosted.connect",
    "AshbyAgentError": "ashby_agent.errors",
    "AshbyAPIError": "ashby_agent.errors",
    "AuthenticationError": "ashby_agent.errors",
    "InvalidRequestError": "ashby_agent.errors",
    "MissingExtraError": "ashby_agent.errors",
    "NotFoundError": "ashby_agent.errors",
    "PermissionDeniedError": "ashby_agent.errors",
    "RateLimitError": "ashby_agent.errors",
    "TransportError": "ashby_agent.errors",
}

__all__ = [
    "AirbyteAuthConfig",
    "AshbyAPIError",
    "AshbyAgentError",
    "AshbyAuthConfig",
    "AshbyConnector",
    "AuthenticationError",
    "InvalidRequestError",
    "MissingExtraError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "TransportError",
    "__version__",
    "connect",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ashby_agent' has no attribute {name!r}")
    return getattr(import_module(module), name)
