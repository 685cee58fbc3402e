"""How each agent framework wants a tool's result and its errors.

========================  ==============  =============================  ===========================
framework                 result          error the model should fix     other errors
========================  ==============  =============================  ===========================
``None`` (neutral)        JSON-able data  ``{"error": {...}}`` returned  ``{"error": {...}}`` returned
``"pydantic_ai"``         JSON-able data  raise ``ModelRetry``           raise ``ToolFailed``
``"langchain"``           JSON text       ``{"error": ...}`` text        ``{"error": ...}`` text
``"openai_agents"``       JSON text       ``{"error": ...}`` text        ``{"error": ...}`` text
``"fastmcp"``             JSON-able data  raise ``ToolError``            raise ``ToolError``
========================  ==============  =============================  ===========================

LangChain returns the content because the seed's ``@tool`` sets no ``handle_tool_error`` (a raised
``ToolException`` would end the run); ``errors="raise"`` raises ``ToolException`` for tools that set it.
OpenAI Agents' default failure handler replaces any exception with a generic message, so errors are
returned as the result. FastMCP's ``ToolError`` makes the result ``isError``.

Framework modules are imported only here, inside the error paths of the chosen framework, so that
importing ``ashby_agent`` (or using the neutral adapter) never imports a framework.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ashby_agent.tools.errors_content import ErrorContent
from ashby_agent.tools.output import to_json_text

__all__ = [
    "FRAMEWORKS",
    "Adapter",
    "ErrorMode",
    "Framework",
    "ToolCallFailed",
    "is_framework_signal",
    "normalize_framework",
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

    def failure(self, content: ErrorContent) -> Any:
        """Return the error content, or raise the framework's exception carrying it."""
        if self.raises:
            raise self.exception(content)
        if self.text_output:
            return content.to_json()
        return content.to_dict()

    def exception(self, content: ErrorContent) -> Exception:
        """The framework's own exception for ``content`` (imports the framework)."""
        if self.framework == "pydantic_ai":
            from pydantic_ai import ModelRetry, ToolFailed

            if content.correctable:
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
