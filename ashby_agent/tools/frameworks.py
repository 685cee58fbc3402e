"""How each agent framework wants a tool's result and its errors.

========================  ==============  =============================  ===========================
framework                 result          error the model should fix     other errors
========================  ==============  =============================  ===========================
``None`` (neutral)        JSON-able data  ``{"error": {...}}`` returned  ``{"error": {...}}`` returned
``"pydantic_ai"``         JSON-able data  raise ``ModelRetry`` (once)    raise ``ToolFailed``
``"langchain"``           JSON text       ``{"error": ...}`` text        ``{"error": ...}`` text
``"openai_agents"``       JSON text       ``{"error": ...}`` text        ``{"error": ...}`` text
``"fastmcp"``             JSON-able data  raise ``ToolError``            raise ``ToolError``
========================  ==============  =============================  ===========================

Pydantic AI ends the whole run with ``UnexpectedModelBehavior`` when a tool raises ``ModelRetry`` more
often in a row than its retry budget (``retries``, default 1), so only the first correctable error of a
streak (per run) is a ``ModelRetry``; the next ones are ``ToolFailed`` with the same "correct the call"
text, which Pydantic AI never counts against the budget (:class:`RetryStreaks`).

LangChain returns the content because the Airbyte agent connector API's LangChain example (``@tool``)
sets no ``handle_tool_error`` (a raised ``ToolException`` would end the run); ``errors="raise"`` raises
``ToolException`` for tools that set it.
OpenAI Agents' default failure handler replaces any exception with a generic message, so errors are
returned as the result. FastMCP's ``ToolError`` makes the result ``isError``.

Framework modules are imported only here, inside the error paths of the chosen framework, so that
importing ``ashby_agent`` (or using the neutral adapter) never imports a framework.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ashby_agent.tools.errors_content import ErrorContent
from ashby_agent.tools.output import to_json_text

__all__ = [
    "EXTRAS",
    "FRAMEWORKS",
    "Adapter",
    "ErrorMode",
    "Framework",
    "MissingFrameworkError",
    "RetryStreaks",
    "ToolCallFailed",
    "is_framework_signal",
    "normalize_framework",
    "require_framework",
]

Framework = Literal["pydantic_ai", "langchain", "openai_agents", "fastmcp"]
FRAMEWORKS: tuple[Framework, ...] = get_args(Framework)

#: ``auto``: the framework's best channel (table above). ``raise``: always the framework's exception
#: (``ToolCallFailed`` for ``None``/``openai_agents``). ``return``: always error content as the result.
ErrorMode = Literal["auto", "raise", "return"]
ERROR_MODES: tuple[ErrorMode, ...] = get_args(ErrorMode)

_ALIASES: dict[str, Framework] = {
    "pydantic_ai": "pydantic_ai",
    "pydanticai": "pydantic_ai",
    "langchain": "langchain",
    "langchain_core": "langchain",
    "openai_agents": "openai_agents",
    "agents": "openai_agents",
    "fastmcp": "fastmcp",
    "mcp": "fastmcp",
}

#: Exceptions a tool function raises on purpose to talk to its framework: passed through untouched.
_SIGNAL_MODULES = frozenset(
    {
        "pydantic_ai.exceptions",
        "fastmcp.exceptions",
        "langchain_core.tools.base",
        "agents.exceptions",
        "mcp.shared.exceptions",
    }
)


#: The module each framework needs and the ``pip install`` extra that provides it.
EXTRAS: dict[Framework, tuple[str, str]] = {
    "pydantic_ai": ("pydantic_ai", "pydantic-ai"),
    "langchain": ("langchain_core", "langchain"),
    "openai_agents": ("agents", "openai-agents"),
    "fastmcp": ("fastmcp", "fastmcp"),
}


class MissingFrameworkError(ImportError):
    """A framework was asked for but is not installed; the message names the ``pip install`` line."""


def _installed(module: str) -> bool:
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_framework(framework: Framework) -> None:
    """Raise :class:`MissingFrameworkError` unless ``framework`` can be imported (imports nothing)."""
    module, extra = EXTRAS[framework]
    if not _installed(module):
        raise MissingFrameworkError(
            f"{framework} is not installed (module {module!r} not found); "
            f"install it with: pip install 'ashby-agent[{extra}]'",
            name=module,
        )


class RetryStreaks:
    """Correctable errors in a row, per Pydantic AI run: only the first of a streak may be ``ModelRetry``.

    Pydantic AI counts ``ModelRetry`` per tool and resets the count when the tool succeeds; one over the
    tool's ``retries`` (default 1) ends the run. The run is told apart by its ``run_id`` when Pydantic AI
    exposes it (else all calls share one streak, which only errs towards ``ToolFailed``).
    """

    _MAX_RUNS = 256

    def __init__(self) -> None:
        self._streaks: OrderedDict[object, int] = OrderedDict()

    def may_retry(self) -> bool:
        """Record a correctable error; whether it may be delivered as ``ModelRetry``."""
        key = _pydantic_ai_run_id()
        count = self._streaks.pop(key, 0)
        self._streaks[key] = count + 1
        while len(self._streaks) > self._MAX_RUNS:
            self._streaks.popitem(last=False)
        return count == 0

    def succeeded(self) -> None:
        self._streaks.pop(_pydantic_ai_run_id(), None)


def _pydantic_ai_run_id() -> object:
    module = sys.modules.get("pydantic_ai._run_context")  # loaded whenever a Pydantic AI agent runs
    current = getattr(module, "get_current_run_context", None)
    try:
        context = current() if callable(current) else None
    except Exception:  # a private helper: never let its changes break a tool call
        return None
    return getattr(context, "run_id", None)


class ToolCallFailed(Exception):
    """Raised with ``errors="raise"`` when the framework has no error type of its own.

    ``str(exc)`` is the JSON error content; ``exc.content`` the :class:`ErrorContent`.
    """

    def __init__(self, content: ErrorContent) -> None:
        super().__init__(content.to_json())
        self.content = content


def normalize_framework(framework: str | None) -> Framework | None:
    """``"pydantic-ai"`` → ``"pydantic_ai"``; ``ValueError`` listing the valid names otherwise."""
    if framework is None:
        return None
    found = _ALIASES.get(framework.strip().lower().replace("-", "_").replace(" ", "_"))
    if found is None:
        raise ValueError(
            f"Unknown framework {framework!r}; valid: {', '.join(FRAMEWORKS)} (or None for neutral output)."
        )
    return found


def is_framework_signal(exc: BaseException) -> bool:
    """Whether ``exc`` is a framework's own control-flow exception (``ModelRetry``, ``ToolError``, ...)."""
    return any(cls.__module__ in _SIGNAL_MODULES for cls in type(exc).__mro__)


@dataclass(frozen=True, slots=True)
class Adapter:
    """Delivers results and errors the way one framework wants them."""

    framework: Framework | None
    errors: ErrorMode = "auto"

    @property
    def raises(self) -> bool:
        if self.errors != "auto":
            return self.errors == "raise"
        return self.framework in ("pydantic_ai", "fastmcp")

    @property
    def text_output(self) -> bool:
        """String-only result channel: OpenAI Agents reprs dicts; LangChain JSON-dumps them with spaces."""
        return self.framework in ("openai_agents", "langchain")

    def success(self, payload: Any) -> Any:
        if self.text_output and not isinstance(payload, str):
            return to_json_text(payload)
        return payload

    def failure(self, content: ErrorContent, *, may_retry: bool = True) -> Any:
        """Return the error content, or raise the framework's exception carrying it.

        ``may_retry=False``: Pydantic AI gets ``ToolFailed`` even for a correctable error.
        """
        if self.raises:
            raise self.exception(content, may_retry=may_retry)
        if self.text_output:
            return content.to_json()
        return content.to_dict()

    def exception(self, content: ErrorContent, *, may_retry: bool = True) -> Exception:
        """The framework's own exception for ``content`` (imports the framework)."""
        if self.framework == "pydantic_ai":
            from pydantic_ai import ModelRetry, ToolFailed

            if content.correctable and may_retry:
                return ModelRetry(content.to_text())
            return ToolFailed(content.to_text())
        if self.framework == "fastmcp":
            from fastmcp.exceptions import ToolError

            # The model sees the message either way; the server log needs no traceback for these.
            return ToolError(content.to_text(), log_level=logging.INFO)
        if self.framework == "langchain":
            from langchain_core.tools import ToolException

            return ToolException(content.to_json())
        return ToolCallFailed(content)
