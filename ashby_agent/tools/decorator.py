"""``tool_utils``: turn an ``ashby_execute(entity, action, params)`` function into a good agent tool.

The wrapper keeps the function's name, signature and async-ness (``functools.wraps``), so every
framework builds the same JSON schema from it, and:

1. replaces ``__doc__`` with the description generated from the catalog (what the framework shows the
   model as the tool description);
2. takes ``fields`` out of ``params`` before calling the function, and applies it to the records;
3. turns every exception into content the model can act on (:mod:`ashby_agent.tools.errors_content`),
   delivered through the framework's own channel (:mod:`ashby_agent.tools.frameworks`);
4. returns JSON the model can read, cut to the output budget (:mod:`ashby_agent.tools.output`).
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast, overload

from ashby_agent.connectors.ashby.catalog import Operation, find_operation
from ashby_agent.connectors.ashby.guardrails import OPERATION_KINDS, kind_of, resolve_access
from ashby_agent.connectors.ashby.operation import Access
from ashby_agent.connectors.ashby.store_actions import SEARCH, STORE_ENV, store_action
from ashby_agent.errors import AshbyAgentError, UnknownEntityError
from ashby_agent.tools.description import (
    DEFAULT_MAX_OUTPUT_CHARS,
    MODES,
    Mode,
    available_entities,
    build_description,
    normalize_permissions,
    permitted,
)
from ashby_agent.tools.errors_content import ErrorContent, error_content, not_permitted
from ashby_agent.tools.frameworks import (
    ERROR_MODES,
    Adapter,
    ErrorMode,
    RetryStreaks,
    is_framework_signal,
    normalize_framework,
    require_framework,
)
from ashby_agent.tools.output import FieldsError, parse_fields, shape_output, to_jsonable
from ashby_agent.tools.redaction import Redaction

__all__ = ["ToolSettings", "tool_utils"]

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    "max_output_chars",
    "scopes",
    "permissions",
    "mode",
    "errors",
    "drop_nulls",
    "context_store",
    "access",
    "redact",
    "kinds",
)


@dataclass(frozen=True, slots=True)
class ToolSettings:
    """Validated ``tool_utils`` options."""

    adapter: Adapter
    mode: Mode = "local"
    permissions: frozenset[str] | None = None
    max_output_chars: int = DEFAULT_MAX_OUTPUT_CHARS
    drop_nulls: bool = True
    #: Whether the tool offers the context store's actions (hosted mode: the service has a store).
    context_store: bool = False
    #: The writes the tool offers (``read``: none); local mode's default is ``ASHBY_AGENT_ACCESS``.
    access: Access = "read"
    #: Personal data replaced in every answer (default: ``ASHBY_AGENT_REDACT``).
    redaction: Redaction = field(default_factory=Redaction)
    #: The kinds of operation the tool offers (``read``, ``write``, ``destructive``); ``None``: all.
    kinds: frozenset[str] | None = None

    @classmethod
    def from_options(cls, framework: str | None, options: Mapping[str, Any]) -> ToolSettings:
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise TypeError(
                f"tool_utils() got unknown option(s) {', '.join(unknown)}; valid: {', '.join(_OPTIONS)}"
            )
        errors = options.get("errors", "auto")
        if errors not in ERROR_MODES:
            raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}, got {errors!r}")
        mode = options.get("mode", "local")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        budget = options.get("max_output_chars", DEFAULT_MAX_OUTPUT_CHARS)
        if not isinstance(budget, int) or isinstance(budget, bool) or budget < 500:
            raise ValueError(f"max_output_chars must be an integer >= 500, got {budget!r}")
        scopes = options.get("scopes", options.get("permissions"))
        if isinstance(scopes, str):
            scopes = [part for part in scopes.replace(" ", ",").split(",") if part]
        store = options.get("context_store")
        if store is None:
            store = mode == "hosted" or bool(os.environ.get(STORE_ENV))
        if not isinstance(store, bool):
            raise ValueError(f"context_store must be true or false, got {store!r}")
        access = resolve_access(options.get("access") if mode == "local" or "access" in options else "read")
        adapter = Adapter(normalize_framework(framework), cast(ErrorMode, errors))
        if adapter.framework is not None:
            require_framework(adapter.framework)  # fail now with the pip line, not at the first error
        return cls(
            adapter=adapter,
            mode=cast(Mode, mode),
            permissions=normalize_permissions(cast("Iterable[str] | None", scopes)),
            max_output_chars=budget,
            drop_nulls=bool(options.get("drop_nulls", True)),
            context_store=store,
            access=access,
            redaction=Redaction.parse(options.get("redact")),
            kinds=_kinds(options.get("kinds")),
        )

    def description(self) -> str:
        return build_description(
            self.mode,
            self.permissions,
            max_output_chars=self.max_output_chars,
            context_store=self.context_store and (self.kinds is None or "read" in self.kinds),
            access=self.access,
            kinds=self.kinds,
        )


@dataclass(frozen=True, slots=True)
class _Call:
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    fields: list[str] | None
    operation: Operation | None
    #: The context store action called, if any.
    store: str | None = None


def _prepare(
    signature: inspect.Signature, settings: ToolSettings, args: Any, kwargs: Any
) -> _Call | ErrorContent:
    """Bind the call, take ``fields`` out of ``params``, check the key's scopes when known."""
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return _Call(tuple(args), dict(kwargs), None, None)  # let the function report it
    fields: list[str] | None = None
    params = bound.arguments.get("params")
    store = store_action(bound.arguments.get("action"))
    if isinstance(params, Mapping) and "fields" in params and store is None:  # the store projects itself
        params = dict(params)
        try:
            fields = parse_fields(params.pop("fields"))
        except FieldsError as exc:
            return ErrorContent("invalid_params", str(exc), "fix_call", "Correct the call and try again.")
        bound.arguments["params"] = params
    entity, action = bound.arguments.get("entity"), bound.arguments.get("action")
    operation: Operation | None = None
    if isinstance(entity, str) and isinstance(action, str):
        try:
            operation = find_operation(entity, action)
        except UnknownEntityError:
            if settings.permissions is not None:  # name only the entities this key may read
                available = _available(settings)
                return error_content(UnknownEntityError(entity, available, _closest(entity, available)))
        except AshbyAgentError:
            operation = None  # the function raises the same error, with the valid choices
    if operation is not None and not permitted(operation, settings.permissions):
        return not_permitted(operation.entity, operation.action, operation.permission, _available(settings))
    if settings.kinds is not None and (
        (operation is not None and kind_of(operation) not in settings.kinds)
        or (store is not None and "read" not in settings.kinds)
    ):
        what = kind_of(operation) if operation is not None else "read"
        return ErrorContent(
            "wrong_tool",
            f"{entity}.{action} is a {what} operation, which this tool does not run; call the tool whose "
            f"description lists it.",
            "fix_call",
            "Call the other tool.",
        )
    return _Call(bound.args, bound.kwargs, fields, operation, store)


def _kinds(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list | tuple | set | frozenset)
        or not items
        or any(k not in OPERATION_KINDS for k in items)
    ):
        raise ValueError(f"kinds must be a non-empty list of {', '.join(OPERATION_KINDS)}, got {value!r}")
    return frozenset(items)


def _available(settings: ToolSettings) -> list[str]:
    found = available_entities(settings.mode, settings.permissions, settings.access, settings.kinds)
    return [entity.name for entity, _ in found]


def _closest(name: str, choices: list[str]) -> str | None:
    import difflib  # error path only

    close = difflib.get_close_matches(name, choices, n=1)
    return close[0] if close else None


def _shape(result: Any, call: _Call, settings: ToolSettings) -> Any:
    paginated = call.operation.paginated if call.operation is not None else None
    drop_nulls = settings.drop_nulls
    if call.store is not None:
        paginated = call.store == SEARCH  # aggregates and SQL rows have no cursor
        # A null group key or column is an answer ("no source"), not noise.
        drop_nulls = drop_nulls and call.store == SEARCH
    return shape_output(
        settings.redaction.apply(to_jsonable(result)),
        fields=call.fields,
        max_chars=settings.max_output_chars,
        paginated=paginated,
        drop_nulls=drop_nulls,
    )


def _not_awaitable(result: Any) -> Any:
    """A plain ``def`` that returns ``connector.execute(...)`` unawaited is a developer's slip: say so
    (logged, masked for the model) instead of serialising a coroutine object."""
    if inspect.isawaitable(result):
        if inspect.iscoroutine(result):
            result.close()  # no "never awaited" warning on top
        raise TypeError(
            "the function wrapped by tool_utils is a plain `def` but returned an awaitable; "
            "declare it `async def` and await the connector call"
        )
    return result


def _wrap(func: F, settings: ToolSettings) -> F:
    signature = inspect.signature(func)
    adapter = settings.adapter
    streaks = RetryStreaks() if adapter.framework == "pydantic_ai" else None

    def fail(content: ErrorContent) -> Any:
        may_retry = streaks.may_retry() if streaks is not None and content.correctable else True
        return adapter.failure(content, may_retry=may_retry)

    def succeed(shaped: Any) -> Any:
        if streaks is not None:
            streaks.succeeded()
        return adapter.success(shaped)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_tool(*args: Any, **kwargs: Any) -> Any:
            call = _prepare(signature, settings, args, kwargs)
            if isinstance(call, ErrorContent):
                return fail(call)
            try:
                shaped = _shape(await func(*call.args, **call.kwargs), call, settings)
            except Exception as exc:
                if is_framework_signal(exc):
                    raise
                failure = error_content(exc)
            else:
                return succeed(shaped)
            return fail(failure)

        tool: Callable[..., Any] = async_tool
    else:

        @functools.wraps(func)
        def sync_tool(*args: Any, **kwargs: Any) -> Any:
            call = _prepare(signature, settings, args, kwargs)
            if isinstance(call, ErrorContent):
                return fail(call)
            try:
                shaped = _shape(_not_awaitable(func(*call.args, **call.kwargs)), call, settings)
            except Exception as exc:
                if is_framework_signal(exc):
                    raise
                failure = error_content(exc)
            else:
                return succeed(shaped)
            return fail(failure)

        tool = sync_tool

    tool.__doc__ = settings.description()
    tool.__ashby_tool_settings__ = settings  # type: ignore[attr-defined]
    return cast(F, tool)


@overload
def tool_utils(func: F, /, *, framework: str | None = None, **options: Any) -> F: ...
@overload
def tool_utils(func: None = None, /, *, framework: str | None = None, **options: Any) -> Callable[[F], F]: ...
def tool_utils(
    func: Callable[..., Any] | None = None, /, *, framework: str | None = None, **options: Any
) -> Any:
    """Make ``ashby_execute(entity, action, params)`` a good agent tool (bare or configured).

    ``framework``: ``None`` (neutral: results and errors are returned as JSON-able data; works under the
    bare ``@AshbyConnector.tool_utils`` of the Airbyte agent connector API's examples in Pydantic AI,
    LangChain and FastMCP), ``"pydantic_ai"``,
    ``"langchain"``, ``"openai_agents"`` or ``"fastmcp"`` (each framework's own result and error channel).

    Options: ``max_output_chars`` (default 24000), ``scopes``/``permissions`` (the key's scopes, e.g.
    ``["candidates:read"]``, to list and allow only those), ``mode`` (``"local"``/``"hosted"``),
    ``errors`` (``"auto"``/``"raise"``/``"return"``), ``drop_nulls`` (default True), ``context_store``
    (offer the context store's actions; default: in hosted mode, or when ``ASHBY_AGENT_STORE`` is set),
    ``access`` (the writes listed: ``read``, ``comment``, ``write``; local default ``ASHBY_AGENT_ACCESS``)
    and ``redact`` (personal data replaced in every answer, e.g. ``["emails", "phones",
    "custom:Salary"]``; default ``ASHBY_AGENT_REDACT``).
    """
    settings = ToolSettings.from_options(framework, options)
    if func is None:
        return functools.partial(_wrap, settings=settings)
    if not callable(func):
        raise TypeError(f"tool_utils wraps a function, got {type(func).__name__}")
    return _wrap(func, settings)
