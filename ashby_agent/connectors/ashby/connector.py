"""``AshbyConnector``: typed, validated access to every Ashby read endpoint.

``execute(entity, action, params)`` and the typed helpers (``connector.candidates.list()``) share one
path: find the operation in the catalog, validate the params once, send the body through the
connector's :class:`~ashby_agent.transports.base.Transport` (straight to Ashby, or through the hosted
service: both answer Ashby's envelope), parse the answer into the operation's record model. Nothing
is sent before the params are valid, and Ashby's ``success: false`` always raises.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Coroutine, Iterable, Iterator, Mapping
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from ashby_agent.connectors.ashby.catalog import CATALOG, Entities, Entity, Operation, find_operation
from ashby_agent.connectors.ashby.operation import Access, resolve_access
from ashby_agent.connectors.ashby.store_actions import DESCRIBE, SEARCH, SQL_QUERY, STORE_ENV, store_action
from ashby_agent.envelope import listed_records, listed_results, single_result
from ashby_agent.errors import (
    InvalidRequestError,
    MalformedResponseError,
    NoContextStoreError,
    PermissionDeniedError,
)
from ashby_agent.pagination import ListResult, PageMeta, iterate_pages, page_meta
from ashby_agent.retry import RetryPolicy
from ashby_agent.transports.ashby import AshbyTransport
from ashby_agent.transports.base import Mode, Transport

if TYPE_CHECKING:
    from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

    from ashby_agent.connectors.ashby.guardrails import WriteControls
    from ashby_agent.connectors.ashby.models import ApiKey, AshbyAuthConfig
    from ashby_agent.store.context_store import ContextStore
    from ashby_agent.store.replicator import Progress, SyncReport
    from ashby_agent.types import AirbyteAuthConfig

__all__ = ["AshbyConnector", "EntityResource", "SyncAshbyConnector", "SyncEntityResource"]

ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")
T = TypeVar("T")

_ADAPTERS: dict[tuple[str, str], TypeAdapter[Any]] = {}


def _adapter(op: Operation) -> TypeAdapter[Any]:
    """The (cached) validator of an operation's records."""
    key = (op.entity, op.action)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        from pydantic import TypeAdapter

        shape: Any = list[op.result] if op.returns_list else op.result  # type: ignore[name-defined]
        adapter = _ADAPTERS[key] = TypeAdapter(shape)
    return adapter


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


class AshbyConnector(Entities):
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
        transport: Transport | httpx.AsyncBaseTransport | None = None,
        context_store: str | ContextStore | None = None,
        access: Access | None = None,
    ) -> None:
        #: The writes this connector may make: ``read`` (none; the default), ``comment`` (notes, tags,
        #: feedback) or ``write`` (every write); else from ``ASHBY_AGENT_ACCESS``.
        self.access: Access = resolve_access(access)
        self._resources: dict[str, EntityResource[Any, Any]] = {}
        if context_store is not None:
            _require_store()
        self._store: ContextStore | None = None if isinstance(context_store, str) else context_store
        self._store_url = context_store if isinstance(context_store, str) else None
        if isinstance(transport, Transport):
            self.auth_config = auth_config
            self.transport: Transport = transport
            return
        from ashby_agent.connectors.ashby.models import AshbyAuthConfig

        if auth_config is None:
            if api_key is None:
                raise TypeError("AshbyConnector needs auth_config=AshbyAuthConfig(api_key=...)")
            auth_config = AshbyAuthConfig(api_key=api_key)
        self.auth_config = auth_config
        if isinstance(auth_config, AshbyAuthConfig):
            self.transport = AshbyTransport(
                auth_config.api_key,
                base_url=base_url,
                http_client=http_client,
                http_transport=transport,
                retry=retry,
                timeout=timeout,
            )
            return
        from ashby_agent.transports.hosted import HostedTransport
        from ashby_agent.types import AirbyteAuthConfig

        if not isinstance(auth_config, AirbyteAuthConfig):
            raise TypeError(
                "auth_config must be AshbyAuthConfig (local mode) or AirbyteAuthConfig (hosted mode), "
                f"got {type(auth_config).__name__}"
            )
        self.transport = HostedTransport(
            auth_config, http_client=http_client, http_transport=transport, retry=retry, timeout=timeout
        )

    @property
    def mode(self) -> Mode:
        """``"local"`` (straight to Ashby) or ``"hosted"`` (through the ashby-agent service)."""
        return self.transport.mode

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    # ------------------------------------------------------------------ generic entry point

    async def execute(self, entity: str, action: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run ``action`` on ``entity`` with ``params``.

        Returns a :class:`ListResult` (``data`` + ``meta``) for ``list``/``api_search`` and the record
        itself for ``get``. Raises a subclass of :class:`ashby_agent.errors.AshbyAgentError`.
        """
        store = store_action(action)
        if store is not None:
            return await self._store_action(entity, store, params)
        if action == DESCRIBE:
            return self.describe(entity)
        op = find_operation(entity, action)
        if not op.read_only:
            return await self._write(op, params)
        return await self._call(op, params)

    async def _write(self, op: Operation, params: Mapping[str, Any] | None) -> Any:
        if self.mode == "hosted":
            return await self._hosted_write(op, params)
        return await self.write(op, params, access=self.access)

    async def _hosted_write(self, op: Operation, params: Mapping[str, Any] | None) -> Any:
        """A write through the hosted service, which applies the guardrails with the connector's own
        access level: checked here only for their shape, sent with their control params."""
        from ashby_agent.connectors.ashby import guardrails
        from ashby_agent.connectors.ashby.write_result import DryRun

        rest, controls = guardrails.split_controls(op, params)
        sent = {**op.build_body(rest), **guardrails.control_values(controls)}
        if not controls.dry_run:
            return await self._call_body(op, sent)
        envelope = await self.transport.send(op, sent)
        return DryRun.model_validate(single_result(envelope, op.endpoint, self._source))

    async def write(
        self,
        op: Operation,
        params: Mapping[str, Any] | None,
        *,
        access: Access,
        keys: tuple[ContextStore, str] | None = None,
    ) -> Any:
        """A write behind its guardrails: the ``access`` level, ``confirm`` for destructive calls,
        the duplicate check, ``dry_run`` (every record the call names is looked up; nothing is sent)
        and ``idempotency_key`` (kept in ``keys``: a store and the tenant id to file them under; by
        default this connector's context store). The hosted service calls it with each connector's
        stored level and its own store."""
        from ashby_agent.connectors.ashby import guardrails

        guardrails.require_access(op, access, hosted=keys is not None)
        rest, controls = guardrails.split_controls(op, params)
        body = op.build_body(rest)
        guardrails.require_confirmation(op, body, controls)
        if controls.idempotency_key is not None and not controls.dry_run:
            return await self._write_once(op, body, controls, keys)
        await guardrails.refuse_duplicate(op, body, controls, self._find_ids)
        if controls.dry_run:
            return await guardrails.dry_run(op, body, self._look_up, self._scopes)
        return await self._call_body(op, body)

    async def _write_once(
        self,
        op: Operation,
        body: dict[str, Any],
        controls: WriteControls,
        keys: tuple[ContextStore, str] | None,
    ) -> Any:
        """A write with an idempotency key: a repeat answers the first call's record (kept in the
        context store for 24 hours) and sends nothing."""
        import functools
        from datetime import UTC, datetime

        _require_store()
        from ashby_agent.connectors.ashby import guardrails
        from ashby_agent.store import write_keys

        key = controls.idempotency_key
        assert key is not None
        store, tenant = keys or (self.context_store, self.store_connector_id)
        name = f"{op.entity}.{op.action}"
        digest = write_keys.params_hash(name, body)
        now = datetime.now(UTC)
        first = await store.run(
            functools.partial(
                write_keys.claim, connector_id=tenant, key=key, operation=name, digest=digest, now=now
            )
        )
        if first is not None:
            return self._answer(op, first, "The context store")
        try:
            await guardrails.refuse_duplicate(op, body, controls, self._find_ids)
            results = self._results(op, await self.transport.send(op, body), self._source)
        except BaseException:
            await store.run(functools.partial(write_keys.release, connector_id=tenant, key=key))
            raise
        await store.run(functools.partial(write_keys.settle, connector_id=tenant, key=key, answer=results))
        return self._answer(op, results, self._source)

    async def _scopes(self) -> list[str] | None:
        """The key's scopes, or ``None`` when the key may not read them (then a dry run cannot tell)."""
        try:
            return list((await self.check()).scopes)
        except PermissionDeniedError:
            return None

    async def _find_ids(self, entity: str, param: str, value: str) -> list[str]:
        page: ListResult[Any] = await self._call(CATALOG[entity].operation("api_search"), {param: value})
        return [str(record.id) for record in page.data]

    async def _look_up(self, entity: str, record_id: str) -> object:
        """The record of ``entity`` with ``record_id`` (its ``get``; a missing one raises NotFoundError)."""
        op = CATALOG[entity].operation("get")
        key = op.one_of[0] if op.one_of else next(p.name for p in op.params if p.required)
        return await self._call(op, {key: record_id})

    def describe(self, entity: str) -> dict[str, Any]:
        """One entity's operations with every param (the ``describe`` action: what the agent tool's
        short description leaves out), and the context store actions when the store keeps it."""
        from ashby_agent.connectors.ashby.catalog import find_entity
        from ashby_agent.store.plan import STREAMS
        from ashby_agent.tools.description import describe_entity

        found = find_entity(entity)
        return describe_entity(found, stored=found.name in STREAMS)

    async def _store_action(self, entity: str, action: str, params: Mapping[str, Any] | None) -> Any:
        from ashby_agent.connectors.ashby.store_result import StoreResult
        from ashby_agent.transports.hosted import HostedTransport

        if isinstance(self.transport, HostedTransport):
            answer = await self.transport.execute_store(entity, action, params)
        else:
            answer = await self._local_store_action(entity, action, params)
        return StoreResult.model_validate(answer)

    async def _local_store_action(self, entity: str, action: str, params: Mapping[str, Any] | None) -> Any:
        _require_store()
        from ashby_agent.connectors.ashby.catalog import find_entity
        from ashby_agent.store.context_store import DEFAULT_STORE_URL, store_configured

        tenant = self.store_connector_id
        if self._store is None and not store_configured(self._store_url):
            raise NoContextStoreError(
                f"{action} reads the local context store, and none is configured: replicate first "
                f"(ashby-agent sync, or await connector.replicate(), which creates "
                f"{DEFAULT_STORE_URL.removeprefix('sqlite:///')}), or pass context_store=URL / set "
                f"{STORE_ENV}."
            )
        store = self.context_store
        if action == SQL_QUERY:
            return await store.sql(tenant, params)
        name = find_entity(entity).name
        if action == SEARCH:
            return await store.search(tenant, name, params, transport=self.transport)
        return await store.aggregate(tenant, name, params, transport=self.transport)

    async def check(self) -> ApiKey:
        """Verify the credentials; returns the key's title and permission scopes (``apiKey.info``)."""
        result: ApiKey = await self._run_get(Entities.api_key.operation("get"), {})
        return result

    # ------------------------------------------------------------------ internals

    async def send(self, op: Operation, body: Mapping[str, Any]) -> dict[str, Any]:
        """Send a body ``op`` has already validated (``op.build_body``) and return Ashby's envelope.

        The hosted service runs executions through this, so a request is validated once where it enters.
        """
        return await self.transport.send(op, body)

    async def _call(self, op: Operation, params: Mapping[str, Any] | None) -> Any:
        return await self._call_body(op, op.build_body(params))

    async def _call_body(self, op: Operation, body: Mapping[str, Any]) -> Any:
        """Send a body ``op`` already validated and answer its typed records."""
        if op.returns_list:
            envelope = await self.transport.send_listing(op, body)
            records = listed_records(envelope, op.endpoint, self._source)
            return self._answer(op, records, self._source, page_meta(envelope))
        envelope = await self.transport.send(op, body)
        source = self._source
        return self._answer(op, single_result(envelope, op.endpoint, source), source)

    @property
    def _source(self) -> str:
        """Who answered, as error messages name it."""
        return "Ashby" if self.transport.mode == "local" else "The hosted service"

    @staticmethod
    def _results(op: Operation, envelope: Mapping[str, Any], source: str) -> Any:
        """The envelope's records: the list of a listing (or a write answering one), else the record."""
        if op.returns_list:
            return listed_results(envelope, op.endpoint, source)
        return single_result(envelope, op.endpoint, source)

    def _answer(self, op: Operation, results: Any, source: str, meta: PageMeta | None = None) -> Any:
        """``results`` typed: a lazily validated page for a list, else the record's model."""
        if op.returns_list:
            return ListResult.lazy(results, _adapter(op), meta or PageMeta())
        return self._typed(op, results, source)

    def _typed(self, op: Operation, results: Any, source: str) -> Any:
        """One answer record validated into ``op``'s model."""
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
        """
        from ashby_agent.tools.decorator import tool_utils

        return tool_utils(func, framework=framework, **options)

    # ------------------------------------------------------------------ lifecycle

    # ------------------------------------------------------------------ context store

    @property
    def context_store(self) -> ContextStore:
        """The local context store: ``context_store=`` given here, else ``ASHBY_AGENT_STORE``, else
        ``ashby-agent-store.db`` in the working directory (opened and migrated on first use)."""
        if self._store is None:
            _require_store()
            from ashby_agent.store.context_store import ContextStore

            self._store = ContextStore.open(self._store_url)
        return self._store

    @property
    def store_connector_id(self) -> str:
        """This connector's tenant id in the context store (derived from the API key, never the key)."""
        from ashby_agent.connectors.ashby.models import AshbyAuthConfig

        if not isinstance(self.auth_config, AshbyAuthConfig):
            raise InvalidRequestError(
                "In hosted mode the service replicates into its own context store: create the connector "
                "with replication_config and read GET .../inspect, or POST .../sync to start a run."
            )
        _require_store()
        from ashby_agent.store.context_store import local_connector_id

        return local_connector_id(self.auth_config.api_key.get_secret_value())

    async def replicate(
        self,
        entities: Iterable[str] | None = None,
        *,
        full: bool = False,
        start_date: datetime | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Bring the local context store up to date: a full sync from ``start_date`` the first time,
        incremental (``syncToken``) after; resumes an interrupted run. ``full`` re-reads everything."""
        tenant = self.store_connector_id  # before opening a store: hosted mode has none here
        return await self.context_store.replicate(
            self.transport,
            tenant,
            entities=entities,
            full=full,
            start_date=start_date,
            progress=progress,
        )

    def sync(self) -> SyncAshbyConnector:
        """A blocking facade over this connector for scripts and notebooks."""
        return SyncAshbyConnector(self)

    async def aclose(self) -> None:
        await self.transport.aclose()
        if self._store is not None and self._store_url is not None:
            self._store.close()  # opened here from a URL: ours to close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AshbyConnector(mode={self.mode!r}, base_url={self.base_url!r})"

    # ------------------------------------------------------------------ typed entity helpers

    def _entity_resource(self, entity: Entity[ListT, GetT]) -> EntityResource[ListT, GetT]:
        """``connector.<entity>``: the typed helpers of ``entity``, made once per connector."""
        resource = self._resources.get(entity.name)
        if resource is None:
            resource = self._resources[entity.name] = EntityResource(self, entity)
        return resource


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    location = ".".join(str(part) for part in error["loc"])
    return f"{location}: {error['msg']}"


# --------------------------------------------------------------------------- the blocking twins


class _LoopThread:
    """An event loop running forever in a daemon thread (asyncio is imported here, not with the module:
    an async caller has it loaded already, and a connector that is only built should not pay for it)."""

    def __init__(self) -> None:
        import asyncio

        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="ashby-agent-sync", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        import asyncio

        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


class SyncEntityResource(Generic[ListT, GetT]):
    """Blocking twin of :class:`EntityResource`."""

    def __init__(self, runner: _LoopThread, resource: EntityResource[ListT, GetT]) -> None:
        self._runner = runner
        self._resource = resource

    def list(self, **params: Any) -> ListResult[ListT]:
        return self._runner.run(self._resource.list(**params))

    def get(self, **params: Any) -> GetT:
        return self._runner.run(self._resource.get(**params))

    def api_search(self, **params: Any) -> ListResult[ListT]:
        return self._runner.run(self._resource.api_search(**params))

    def iterate(self, **params: Any) -> Iterator[ListT]:
        """Every record, one page fetched at a time."""
        cursor: str | None = None
        params.pop("cursor", None)
        while True:
            page = self.list(**params, cursor=cursor)
            yield from page.data
            if not page.meta.has_more or not page.meta.cursor:
                return
            cursor = page.meta.cursor


class SyncAshbyConnector:
    """``connector.sync()``: the same connector, blocking. Close it with ``close()`` or ``with``."""

    def __init__(self, connector: AshbyConnector) -> None:
        self._connector = connector
        self._runner = _LoopThread()

    def execute(self, entity: str, action: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._runner.run(self._connector.execute(entity, action, params))

    def check(self) -> ApiKey:
        return self._runner.run(self._connector.check())

    def __getattr__(self, name: str) -> SyncEntityResource[Any, Any]:
        if name not in CATALOG:
            raise AttributeError(name)
        resource: EntityResource[Any, Any] = getattr(self._connector, name)
        return SyncEntityResource(self._runner, resource)

    def close(self) -> None:
        self._runner.run(self._connector.aclose())
        self._runner.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _require_store() -> None:
    """Raise MissingExtraError naming the ``store`` extra unless the context store can be imported."""
    from ashby_agent.extras import require_extra

    require_extra("store", "The context store")
