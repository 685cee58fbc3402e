"""Which command needs which pip extra, checked before the command parses its arguments.

The core install has the command line but not the sandbox, the context store nor the hosted service;
a command of theirs, run without its extra, prints one line naming the ``pip install`` command instead
of a traceback from deep inside an import.
"""

from __future__ import annotations

from typing import Final

from ashby_agent.cli.output import fail
from ashby_agent.errors import MissingExtraError

__all__ = ["COMMAND_EXTRAS", "require_command_extra"]

#: Top-level command or group -> the extra it needs (a command missing here runs on the core install).
#: ``mcp`` checks its framework itself (``ashby-agent[fastmcp]``), as the agent tools do.
COMMAND_EXTRAS: Final[dict[str, str]] = {
    "sandbox": "sandbox",
    "demo": "sandbox",
    "sync": "store",
    "store": "store",
    "docs": "store",  # the reference lists the context store's indexed fields
    "serve": "service",
    "worker": "service",
    "admin": "service",
}


def require_command_extra(command: str) -> None:
    """Exit with one line naming the ``pip install`` command when ``command``'s extra is missing."""
    extra = COMMAND_EXTRAS.get(command)
    if extra is None:
        return
    from ashby_agent.extras import require_extra

    try:
        require_extra(extra, f"ashby-agent {command}")
    except MissingExtraError as exc:
        fail(str(exc))
