"""The pip extras beyond the core install, and the check a feature makes before it needs one.

The core install (``pip install ashby-agent``) is the connector, the agent tools and the command line;
the context store, the sandbox and the hosted service bring heavy packages (SQLAlchemy, Starlette,
cryptography, ...) and live in extras. ``pyproject.toml`` declares them; :data:`EXTRAS` names the
modules each one makes importable (a test keeps the two equal). :func:`require_extra` looks the modules
up without importing them, so a caller learns the ``pip install`` line before any work starts.

This module imports nothing from the rest of the package but its errors.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Final

from ashby_agent.errors import MissingExtraError

__all__ = ["EXTRAS", "extra_providing", "install_command", "require_extra"]

_STORE = ("sqlalchemy", "alembic", "sqlglot", "rapidfuzz")
_SANDBOX = ("starlette", "uvicorn")

#: Each extra and the top-level modules it installs, the smallest extra first (see extra_providing).
EXTRAS: Final[dict[str, tuple[str, ...]]] = {
    "sandbox": _SANDBOX,
    "store": _STORE,
    "service": (*_STORE, *_SANDBOX, "cryptography"),
}


def install_command(extra: str) -> str:
    """The shell command that installs ``extra``."""
    return f"pip install 'ashby-agent[{extra}]'"


def _installed(module: str) -> bool:
    loaded = sys.modules.get(module)
    if loaded is not None:
        return True
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_extra(extra: str, feature: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` can be imported (none is).

    ``feature`` starts the message: "The context store needs the 'store' extra ...".
    """
    missing = next((module for module in EXTRAS[extra] if not _installed(module)), None)
    if missing is not None:
        raise MissingExtraError(
            f"{feature} needs the {extra!r} extra ({missing} is not installed): {install_command(extra)}",
            extra=extra,
            module=missing,
        )


def extra_providing(module: str | None) -> str | None:
    """The smallest extra that installs the top-level package of ``module`` (None: no extra does)."""
    top = (module or "").partition(".")[0]
    return next((extra for extra, modules in EXTRAS.items() if top in modules), None)
