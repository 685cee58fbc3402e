"""``AshbyConnector``: typed, validated access to every Ashby read endpoint.

``execute(entity, action, params)`` and the typed helpers (``connector.candidates.list()``) share one
path: find the operation in the catalog, validate the params, call Ashby through the transport,
parse the answer into the operation's record model. Nothing is sent before the params are valid, and
Ashby's ``success: false`` always raises.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

import httpx

from ashby_agent.connectors.ashby import catalog
from ashby_agent.connectors.ashby.catalog import Entity, Operation, find_operation
from ashby_agent.connectors.ashby.params import Param, ParamValueError, coerce_param
from ashby_agent.errors import InvalidParamsError, MalformedResponseError
from ashby_agent.pagination import ListResult, iterate_pages, page_meta
from ashby_agent.retry import RetryPolicy
from ashby_agent.transport import AshbyTransport

if TYPE_CHECKING:
    # pydantic's model machinery, the auth configs and the hosted client load on first use (an auth
    # config, a call), so importing the connector stays cheap.
    from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

    from ashby_agent.connectors.ashby.models import ApiKey, AshbyAuthConfig
    from ashby_agent.connectors.ashby.sync import SyncAshbyConnector
    from ashby_agent.hosted.client import HostedClient
    from ashby_agent.types import AirbyteAuthConfig

__all__ = ["AshbyConnector", "EntityResource", "build_body"]

ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")

_ADAPTERS: dict[tuple[str, str], TypeAdapter[Any]] = {}


def _adapter(op: Operation) -> TypeAdapter[Any]:
    """The (cached) validator of an operation's records, built on first use to keep imports cheap."""
    key = (op.entity, op.action)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        from pydantic import TypeAdapter

        shape: Any = list[op.result] if op.returns_list else op.result  # type: ignore[name-defined]
        adapter = _ADAPTERS[key] = TypeAdapter(shape)
    return adapter


def build_body(op: Operation, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate ``params`` against ``op`` and return Ashby's request body (wire names, wire types).

    Accepts camelCase and snake_case names; ``None`` values mean "not given". Raises
    :class:`InvalidParamsError` listing every problem and the valid params.
    """
    spellings = op.spellings
    if params is not None and not isinstance(params, Mapping):
        problem = (
            f'params must be an object of name -> value (e.g. {{"limit": 10}}), got {type(params).__name__}'
        )
        raise InvalidParamsError(op.entity, op.action, [problem], _param_names(op.all_params))
    body: dict[str, Any] = dict(op.fixed_body)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for name, value in (params or {}).items():
        param = spellings.get(name) if isinstance(name, str) else None
        if param is None:
            problems.append(_unknown_param(str(name), op))
            continue
        if value is None:
            continue
        if param.name in seen:
            problems.append(f"'{name}' and '{seen[param.name]}' are the same param; give it once")
            continue
        seen[param.name] = name
        try:
            body[param.name] = coerce_param(param, value)
        except ParamValueError as exc:
            problems.append(f"param '{name}': {exc}")
    for param in op.all_params:
        if param.required and param.name not in body:
            problems.append(f"missing required param '{param.snake}' ({param.description})")
    if op.one_of and not any(name in body for name in op.one_of):
        names = [spellings[name].snake for name in op.one_of]
        problems.append("give at least one of: " + ", ".join(names))
    if "limit" in body and not body["limit"] >= 1:
        problems.append("param 'limit': must be at least 1 (Ashby caps it at 100)")
    if problems:
        raise InvalidParamsError(op.entity, op.action, problems, _param_names(op.all_params))
    return body


def _param_names(params: tuple[Param, ...]) -> list[str]:
    return [param.snake for param in params]


def _unknown_param(name: str, op: Operation) -> str:
    import difflib  # error path only

    close = difflib.get_close_matches(name, list(op.spellings), n=1)
    hint = f" (did you mean '{op.spellings[close[0]].snake}'?)" if close else ""
    return f"unknown param '{name}'{hint}"


class EntityResource(Generic[ListT, GetT]):
    """Typed helpers for one entity: ``list``, ``get``, ``api_search`` and ``iterate``."""

    def __init__(self, connector: AshbyConnector, entity: Entity[ListT, GetT]) -> None:
        self._connector = connector
        self.entity = entity

    async def list(self, **params: Any) -> ListResult[ListT]:
        """One page of records (``data``) and the paging state (``meta``)."""
        return await self._connector._run_list(self.entity.operation("list"), params)

    async def get(self, **params: Any) -> GetT:
        """One record."""
        result: GetT = await self._connector._run_get(self.entity.operation("get"), params)
        return result

    async def api_search(self, **params: Any) -> ListResult[ListT]:
        """Ashby's own search endpoint for this entity (not paginated, at most 100 records)."""
        return await self._connector._run_list(self.entity.operation("api_search"), params)

    async def iterate(self, **params: Any) -> AsyncIterator[ListT]:
        """Every record of the listing, fetching page after page."""
        op = self.entity.operation("list")
        params.pop("cursor", None)

        async def fetch(cursor: str | None) -> ListResult[ListT]:
            return await self._connector._run_list(op, {**params, "cursor": cursor})

        async for record in iterate_pages(fetch):
            yield record

    def __repr__(self) -> str:
        return f"<EntityResource {self.entity.name} actions={self.entity.actions}>"


class _Resource(Generic[ListT, GetT]):
    """Descriptor giving each connector a typed :class:`EntityResource` per catalog entity."""

    def __init__(self, entity: Entity[ListT, GetT]) -> None:
        self.entity = entity

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.entity.name:  # pragma: no cover - guarded by tests
            raise TypeError(f"attribute {name!r} must be named after its entity {self.entity.name!r}")

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: AshbyConnector, owner: type) -> EntityResource[ListT, GetT]: ...
    def __get__(self, obj: AshbyConnector | None, owner: type) -> Self | EntityResource[ListT, GetT]:
        if obj is None:
            return self
        resource = obj._resources.get(self.entity.name)
        if resource is None:
            resource = obj._resources[self.entity.name] = EntityResource(obj, self.entity)
        return resource


class AshbyConnector:
    """Typed access to the Ashby API.

    >>> connector = AshbyConnector(auth_config=AshbyAuthConfig(api_key="..."))
    >>> page = await connector.execute("candidates", "list", {"limit": 50})
    >>> page = await connector.candidates.list(limit=50)

    ``base_url`` (else ``ASHBY_API_URL``, else ``https://api.ashbyhq.com``) and ``http_client`` make the
    transport swappable; ``retry`` and ``timeout`` tune reliability. Close with ``aclose()`` or use
    ``async with``.
    """

    def __init__(
        self,
        auth_config: AshbyAuthConfig | AirbyteAuthConfig | None = None,
        *,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> None:
        from ashby_agent.connectors.ashby.models import AshbyAuthConfig

        if auth_config is None:
            if api_key is None:
                raise TypeError("AshbyConnector needs auth_config=AshbyAuthConfig(api_key=...)")
            auth_config = AshbyAuthConfig(api_key=api_key)
        self.auth_config = auth_config
        self._resources: dict[str, EntityResource[Any, Any]] = {}
        self._transport: AshbyTransport | None = None
        self._hosted: HostedClient | None = None
        if isinstance(auth_config, AshbyAuthConfig):
            self._transport = AshbyTransport(
                auth_config.api_key, base_url=base_url, http_client=http_client, retry=retry, timeout=timeout
            )
            return
        # Hosted mode: its config and client are imported only here, so local mode never loads them.
        from ashby_agent.hosted.client import HostedClient
        from ashby_agent.types import AirbyteAuthConfig

        if not isinstance(auth_config, AirbyteAuthConfig):
            raise TypeError(
                "auth_config must be AshbyAuthConfig (local mode) or AirbyteAuthConfig (hosted mode), "
                f"got {type(auth_config).__name__}"
            )
        self._hosted = HostedClient(
            auth_config, http_client=http_client, retry=retry, timeout=timeout or 30.0
        )

    @property
    def mode(self) -> str:
        """``"local"`` (straight to Ashby) or ``"hosted"`` (through the ashby-agent service)."""
        return "hosted" if self._hosted is not None else "local"

    @property
    def base_url(self) -> str:
        if self._hosted is not None:
            return self._hosted.auth.api_url or ""
        assert self._transport is not None
        return self._transport.base_url

    # ------------------------------------------------------------------ generic entry point

    async def execute(self, entity: str, action: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run ``action`` on ``entity`` with ``params``.

        Returns a :class:`ListResult` (``data`` + ``meta``) for ``list``/``api_search`` and the record
        itself for ``get``. Raises a subclass of :class:`ashby_agent.errors.AshbyAgentError`.
        """
        return await self._call(find_operation(entity, action), params)

    async def check(self) -> ApiKey:
        """Verify the credentials; returns the key's title and permission scopes (``apiKey.info``)."""
        result: ApiKey = await self._run_get(catalog.API_KEY.operation("get"), {})
        return result

    # ------------------------------------------------------------------ internals

    async def _call(self, op: Operation, params: Mapping[str, Any] | None) -> Any:
        body = build_body(op, params)
        if self._hosted is not None:
            answer = await self._hosted.execute(op.entity, op.action, body)
            results = answer.get("result")
            if op.action == "api_search" and isinstance(results, dict):
                results = results.get("data")
            meta = page_meta(_hosted_paging(answer.get("connector_metadata")))
            source = "The hosted service"
        else:
            assert self._transport is not None
            answer = await self._transport.post(op.endpoint, body)
            results = answer.get("results")
            meta = page_meta(answer)
            source = "Ashby"
        if op.returns_list:
            if not isinstance(results, list):
                raise MalformedResponseError(f"{source}'s answer to {op.endpoint} has no results list")
            return ListResult.lazy(results, _adapter(op), meta)
        if not isinstance(results, dict):
            raise MalformedResponseError(f"{source}'s answer to {op.endpoint} has no results object")
        adapter = _adapter(op)
        from pydantic import ValidationError  # loaded with the adapter already: ~0.3 µs

        try:
            return adapter.validate_python(results)
        except ValidationError as exc:
            raise MalformedResponseError(
                f"{source}'s answer to {op.endpoint} does not match the {op.result.__name__} model "
                f"({exc.error_count()} problems, first: {_first_problem(exc)}). "
                "Please report it with the endpoint."
            ) from None

    async def _run_list(self, op: Operation, params: Mapping[str, Any] | None) -> ListResult[Any]:
        result: ListResult[Any] = await self._call(op, params)
        return result

    async def _run_get(self, op: Operation, params: Mapping[str, Any] | None) -> Any:
        return await self._call(op, params)

    # ------------------------------------------------------------------ agent tooling

    @staticmethod
    def tool_utils(func: Any = None, /, *, framework: str | None = None, **options: Any) -> Any:
        """Turn an ``ashby_execute(entity, action, params)`` function into a good agent tool.

        Usable bare (``@AshbyConnector.tool_utils``) or configured
        (``@AshbyConnector.tool_utils(framework="openai_agents")``); see :mod:`ashby_agent.tools`.
        The tools layer is imported only here, on use, so importing the connector stays cheap.
        """
        from ashby_agent.tools import tool_utils

        return tool_utils(func, framework=framework, **options)

    # ------------------------------------------------------------------ lifecycle

    def sync(self) -> SyncAshbyConnector:
        """A blocking facade over this connector for scripts and notebooks."""
        from ashby_agent.connectors.ashby.sync import SyncAshbyConnector

        return SyncAshbyConnector(self)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
        if self._hosted is not None:
            await self._hosted.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AshbyConnector(mode={self.mode!r}, base_url={self.base_url!r})"

    # ------------------------------------------------------------------ typed entity helpers
    # One line per catalog entity; the record types come from the catalog declaration.
    candidates = _Resource(catalog.CANDIDATES)
    candidate_notes = _Resource(catalog.CANDIDATE_NOTES)
    candidate_projects = _Resource(catalog.CANDIDATE_PROJECTS)
    candidate_client_info = _Resource(catalog.CANDIDATE_CLIENT_INFO)
    candidate_fraud_checks = _Resource(catalog.CANDIDATE_FRAUD_CHECKS)
    applications = _Resource(catalog.APPLICATIONS)
    application_history = _Resource(catalog.APPLICATION_HISTORY)
    application_criteria_evaluations = _Resource(catalog.APPLICATION_CRITERIA_EVALUATIONS)
    application_feedback = _Resource(catalog.APPLICATION_FEEDBACK)
    application_hiring_team_roles = _Resource(catalog.APPLICATION_HIRING_TEAM_ROLES)
    jobs = _Resource(catalog.JOBS)
    job_postings = _Resource(catalog.JOB_POSTINGS)
    job_boards = _Resource(catalog.JOB_BOARDS)
    job_templates = _Resource(catalog.JOB_TEMPLATES)
    job_interview_plans = _Resource(catalog.JOB_INTERVIEW_PLANS)
    openings = _Resource(catalog.OPENINGS)
    departments = _Resource(catalog.DEPARTMENTS)
    locations = _Resource(catalog.LOCATIONS)
    users = _Resource(catalog.USERS)
    user_interviewer_settings = _Resource(catalog.USER_INTERVIEWER_SETTINGS)
    user_interviewer_pauses = _Resource(catalog.USER_INTERVIEWER_PAUSES)
    hiring_team_roles = _Resource(catalog.HIRING_TEAM_ROLES)
    brands = _Resource(catalog.BRANDS)
    sources = _Resource(catalog.SOURCES)
    archive_reasons = _Resource(catalog.ARCHIVE_REASONS)
    close_reasons = _Resource(catalog.CLOSE_REASONS)
    candidate_tags = _Resource(catalog.CANDIDATE_TAGS)
    custom_fields = _Resource(catalog.CUSTOM_FIELDS)
    feedback_form_definitions = _Resource(catalog.FEEDBACK_FORM_DEFINITIONS)
    interviewer_pools = _Resource(catalog.INTERVIEWER_POOLS)
    communication_templates = _Resource(catalog.COMMUNICATION_TEMPLATES)
    source_tracking_links = _Resource(catalog.SOURCE_TRACKING_LINKS)
    referral_forms = _Resource(catalog.REFERRAL_FORMS)
    interview_plans = _Resource(catalog.INTERVIEW_PLANS)
    interview_stages = _Resource(catalog.INTERVIEW_STAGES)
    interview_stage_groups = _Resource(catalog.INTERVIEW_STAGE_GROUPS)
    interviews = _Resource(catalog.INTERVIEWS)
    interview_schedules = _Resource(catalog.INTERVIEW_SCHEDULES)
    interview_events = _Resource(catalog.INTERVIEW_EVENTS)
    offers = _Resource(catalog.OFFERS)
    projects = _Resource(catalog.PROJECTS)
    files = _Resource(catalog.FILES)
    webhooks = _Resource(catalog.WEBHOOKS)
    api_key = _Resource(catalog.API_KEY)


def _hosted_paging(metadata: Any) -> dict[str, Any]:
    """The hosted service's ``connector_metadata`` in Ashby's paging keys, so one reader serves both."""
    metadata = metadata if isinstance(metadata, dict) else {}
    return {
        "moreDataAvailable": metadata.get("has_more") is True,
        "nextCursor": metadata.get("cursor"),
        "syncToken": metadata.get("sync_token"),
    }


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    location = ".".join(str(part) for part in error["loc"])
    return f"{location}: {error['msg']}"
