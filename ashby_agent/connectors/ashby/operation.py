"""What an operation and an entity are: the vocabulary the catalog is declared in.

An :class:`Operation` is one Ashby endpoint as an ``(entity, action)`` pair with its declared params,
and builds the request body from them. An :class:`Entity` groups the operations about one kind of
record. The catalog declares every entity once, as an annotated attribute of an :class:`EntityGroup`::

    class CandidateEntities(EntityGroup):
        candidates: Entity[Candidate, Candidate] = Entity("People in the hiring pipeline...", *ops)

The attribute name is the entity's name, and the annotation names its record models for type checkers
and, resolved on first use, at run time. On a connector (an :class:`EntityGroup` subclass that
:class:`HasResources`) the same attribute is the entity's typed :class:`Resource`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, Self, TypeVar, get_args, overload

from ashby_agent.connectors.ashby.params import (
    Param,
    ParamType,
    ParamValueError,
    coerce_param,
    index_spellings,
    shown,
)
from ashby_agent.errors import InvalidParamsError, InvalidRequestError, UnknownActionError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ashby_agent.pagination import ListResult

__all__ = [
    "ACCESS_ENV",
    "ACCESS_LEVELS",
    "ACTIONS",
    "CREATED_AFTER",
    "CURSOR",
    "INCLUDE_ARCHIVED",
    "LIMIT",
    "SYNC_TOKEN",
    "Access",
    "Action",
    "Entity",
    "EntityGroup",
    "HasResources",
    "Operation",
    "Resource",
    "declared_entities",
    "expand_param",
    "filter_param",
    "id_param",
    "ref_param",
]

ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")
GetT_co = TypeVar("GetT_co", bound="BaseModel", covariant=True)

#: An action name: one of :data:`ACTIONS` (reads), or a write named for what it does (``create``,
#: ``add_tag``, ``change_stage``).
Action = str
#: The read actions; every other action is a write.
ACTIONS: tuple[str, ...] = ("list", "get", "api_search")
#: What an operation may do, least first: a connector's access level admits the operations at or
#: below it. ``comment`` adds the writes that annotate (notes, feedback, tags) and change nothing else.
Access = Literal["read", "comment", "write"]
ACCESS_LEVELS: tuple[Access, ...] = ("read", "comment", "write")
#: The environment variable a connector reads its access level from when none is given.
ACCESS_ENV: Final = "ASHBY_AGENT_ACCESS"


def resolve_access(value: str | None = None, source: str = "access") -> Access:
    """``value`` (named ``source`` in a refusal), else ``ASHBY_AGENT_ACCESS``, else ``read``; an
    unknown level is refused. (Here, not in ``guardrails``, so building a connector loads no write
    machinery.)"""
    if value is None:
        value, source = os.environ.get(ACCESS_ENV) or "read", ACCESS_ENV
    if value not in ACCESS_LEVELS:
        raise InvalidRequestError(
            f"Unknown {source} level {shown(value)}; valid: {', '.join(ACCESS_LEVELS)} (default read).",
            valid=ACCESS_LEVELS,
        )
    return value


@dataclass(frozen=True, slots=True)
class Operation:
    """One Ashby endpoint as an (entity, action) pair."""

    action: Action
    endpoint: str
    permission: str
    description: str
    params: tuple[Param, ...] = ()
    #: Takes ``cursor``/``limit`` and answers ``moreDataAvailable``/``nextCursor``.
    paginated: bool = False
    #: Takes ``syncToken`` and returns one on the last page (incremental sync).
    sync: bool = False
    #: At least one of these params is required (e.g. ``id`` or ``externalMappingId``).
    one_of: tuple[str, ...] = ()
    #: Body keys always sent (e.g. ``namesOnly: false`` so roles come back as objects).
    fixed_body: Mapping[str, Any] = field(default_factory=dict)
    #: The access level the operation needs (reads: ``read``).
    access: Access = "read"
    #: Irreversible or losing data (anonymize, delete, archive): needs ``confirm: true`` in the call.
    destructive: bool = False
    #: Repeating the same write leaves Ashby as one call did (tagging, moving to a stage).
    idempotent: bool = False
    #: Params whose presence makes this call destructive (``archiveReasonId``: the move archives).
    destructive_with: tuple[str, ...] = ()
    #: A write that answers a list of records (``customField.setValues``).
    answers_list: bool = False
    #: A create that first looks for an existing record with the same value of this param (through the
    #: entity's ``api_search``) and reports it instead of making a duplicate.
    unique_by: str = ""
    #: ``"<records module>:<Model>"`` when the answer is not the entity's record (``offerProcess.start``
    #: answers a process, ``webhook.delete`` an acknowledgement); resolved on first use.
    returns: str = ""
    entity: str = ""  # set by Entity
    owner: _RecordModels | None = field(default=None, repr=False, compare=False)  # the Entity, set by it

    @property
    def all_params(self) -> tuple[Param, ...]:
        """Declared params plus the pagination and sync params the endpoint takes."""
        extra: tuple[Param, ...] = ()
        if self.paginated:
            extra += (LIMIT, CURSOR)
        if self.sync:
            extra += (SYNC_TOKEN,)
        return self.params + extra

    def destructive_for(self, body: Mapping[str, Any]) -> bool:
        """Whether this call, with this validated body, needs ``confirm: true``."""
        return self.destructive or any(name in body for name in self.destructive_with)

    @property
    def read_only(self) -> bool:
        """A read: retried freely, and available at every access level."""
        return self.access == "read"

    @property
    def spellings(self) -> Mapping[str, Param]:
        return _spellings(self)

    @property
    def returns_list(self) -> bool:
        return self.action in ("list", "api_search") or self.answers_list

    @property
    def result(self) -> type[BaseModel]:
        """The record model of this operation's answer: its entity's ``list_model`` for lists, else
        its ``get_model`` (a write answers the record it created or changed)."""
        assert self.owner is not None, "an Operation belongs to an Entity"
        if self.returns:
            return _returned_model(self.returns)
        return self.owner.list_model if self.returns_list else self.owner.get_model

    def build_body(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate ``params`` and return Ashby's request body (wire names, wire types).

        Accepts camelCase and snake_case names; ``None`` values mean "not given". Keys of
        ``fixed_body`` are accepted and ignored (the fixed value is sent), so a built body validates
        again unchanged. Raises :class:`InvalidParamsError` listing every problem and the valid params.
        """
        spellings = self.spellings
        if params is not None and not isinstance(params, Mapping):
            got = type(params).__name__
            problem = f'params must be an object of name -> value (e.g. {{"limit": 10}}), got {got}'
            raise InvalidParamsError(self.entity, self.action, [problem], _param_names(self.all_params))
        body: dict[str, Any] = dict(self.fixed_body)
        problems: list[str] = []
        seen: dict[str, str] = {}
        for name, value in (params or {}).items():
            param = spellings.get(name) if isinstance(name, str) else None
            if param is None:
                if name not in self.fixed_body:
                    problems.append(_unknown_param(str(name), self))
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
        for param in self.all_params:
            if param.required and param.name not in body:
                problems.append(f"missing required param '{param.snake}' ({param.description})")
        if self.one_of and not any(name in body for name in self.one_of):
            names = [spellings[name].snake for name in self.one_of]
            problems.append("give at least one of: " + ", ".join(names))
        if "limit" in body and not body["limit"] >= 1:
            problems.append("param 'limit': must be at least 1 (Ashby caps it at 100)")
        if problems:
            raise InvalidParamsError(self.entity, self.action, problems, _param_names(self.all_params))
        return body


def _returned_model(spec: str) -> type[BaseModel]:
    module, _, name = spec.partition(":")
    model: type[BaseModel] = getattr(import_module(f"ashby_agent.connectors.ashby.records.{module}"), name)
    return model


class _RecordModels(Protocol):
    """What an operation reads from its :class:`Entity` (typed so, as an Entity is a descriptor)."""

    @property
    def list_model(self) -> type[BaseModel]: ...
    @property
    def get_model(self) -> type[BaseModel]: ...


_SPELLINGS: dict[tuple[str, str], Mapping[str, Param]] = {}


def _spellings(op: Operation) -> Mapping[str, Param]:
    key = (op.entity, op.action)
    found = _SPELLINGS.get(key)
    if found is None:
        found = _SPELLINGS[key] = index_spellings(op.all_params)
    return found


def _param_names(params: tuple[Param, ...]) -> list[str]:
    return [param.snake for param in params]


def _unknown_param(name: str, op: Operation) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(op.spellings), n=1)
    hint = f" (did you mean '{op.spellings[close[0]].snake}'?)" if close else ""
    return f"unknown param '{name}'{hint}"


class Resource(Protocol[ListT, GetT_co]):
    """The typed helpers of one entity on a connector: ``connector.candidates.list()``."""

    async def list(self, **params: Any) -> ListResult[ListT]:
        """One page of records and the paging state."""
        ...

    async def get(self, **params: Any) -> GetT_co:
        """One record."""
        ...

    async def api_search(self, **params: Any) -> ListResult[ListT]:
        """Ashby's own search endpoint for this entity."""
        ...

    def iterate(self, **params: Any) -> AsyncIterator[ListT]:
        """Every record of the listing, page after page."""
        ...


class HasResources(Protocol):
    """What an :class:`Entity` attribute read on an instance asks for its typed :class:`Resource`."""

    def _entity_resource(self, entity: Entity[ListT, GetT]) -> Resource[ListT, GetT]: ...


class Entity(Generic[ListT, GetT]):
    """A kind of Ashby record and the operations that read it.

    Declared as an attribute of an :class:`EntityGroup`: ``name: Entity[ListModel, GetModel] =
    Entity(description, *ops)``. The attribute name is the entity's name; the annotation names the
    record model of ``list``/``api_search`` and the one of ``get``, once. Type checkers read it as
    written; at run time ``list_model``/``get_model`` (and ``Operation.result``) resolve that same
    annotation on first use, importing only the records modules it names.

    Read on the group class it is the entity; read on an instance that :class:`HasResources` (the
    connector) it is that instance's typed :class:`Resource` for the entity.
    """

    name: str

    def __init__(self, description: str, *operations: Operation) -> None:
        self.description = description
        self._models: tuple[type[ListT], type[GetT]] | None = None
        self._declaration: tuple[str, str] | None = None  # (annotation, declaring module)
        ops: dict[str, Operation] = {}
        for op in operations:
            object.__setattr__(op, "owner", self)
            ops[op.action] = op
        self.operations: Mapping[str, Operation] = ops

    def __set_name__(self, owner: type, name: str) -> None:
        if hasattr(self, "name"):
            raise TypeError(f"entity {self.name!r} is declared twice (again as {owner.__name__}.{name})")
        annotation = owner.__annotations__.get(name)
        if not isinstance(annotation, str):
            raise TypeError(
                f"{owner.__name__}.{name} must be annotated Entity[ListModel, GetModel] in a module with "
                "`from __future__ import annotations`"
            )
        self.name = name
        self._declaration = (annotation, owner.__module__)
        for op in self.operations.values():
            object.__setattr__(op, "entity", name)

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: HasResources, owner: type) -> Resource[ListT, GetT]: ...
    def __get__(self, obj: HasResources | None, owner: type) -> Self | Resource[ListT, GetT]:
        if obj is None:
            return self
        return obj._entity_resource(self)

    @property
    def list_model(self) -> type[ListT]:
        """The record model of ``list`` and ``api_search``."""
        return self._declared_models()[0]

    @property
    def get_model(self) -> type[GetT]:
        """The record model of ``get``."""
        return self._declared_models()[1]

    def _declared_models(self) -> tuple[type[ListT], type[GetT]]:
        models = self._models
        if models is None:
            if self._declaration is None:
                raise TypeError(f"entity {self!r} was not declared as an EntityGroup attribute")
            annotation, module = self._declaration
            namespace = _DeclarationNamespace(module)
            models = self._models = get_args(eval(annotation, {}, namespace))
        return models

    @property
    def actions(self) -> list[str]:
        return list(self.operations)

    def operation(self, action: str) -> Operation:
        try:
            return self.operations[action]
        except KeyError:
            raise UnknownActionError(self.name, action, self.actions) from None

    def __repr__(self) -> str:
        return f"Entity({getattr(self, 'name', '<unnamed>')!r}, actions={self.actions})"


class _DeclarationNamespace(dict[str, Any]):
    """Names of an entity declaration, looked up as ``typing.get_type_hints`` would, on demand.

    The declaring module's globals first, then the records module of the same name (the catalog's
    ``jobs`` declares records of ``records.jobs``), then every record name of ``models``.
    """

    def __init__(self, module: str) -> None:
        super().__init__()
        self._globals = vars(sys.modules[module])
        self._records = module.rpartition(".")[2]

    def __missing__(self, name: str) -> Any:
        if name in self._globals:
            return self._globals[name]
        from ashby_agent.connectors.ashby import models

        if self._records in models.RECORD_MODULES:
            records = import_module(f"ashby_agent.connectors.ashby.records.{self._records}")
            if name in records.__all__:
                return getattr(records, name)
        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None


class EntityGroup:
    """Base of the classes the catalog declares entities in, one per Ashby module.

    The catalog's ``Entities`` inherits every group; a connector inheriting ``Entities`` gets one typed
    attribute per entity.
    """


def declared_entities(group: type[EntityGroup]) -> tuple[Entity[Any, Any], ...]:
    """The entities of ``group`` and its bases, in declaration order (base groups left to right)."""
    found: dict[str, Entity[Any, Any]] = {}
    for cls in group.__mro__:
        for value in vars(cls).values():
            if isinstance(value, Entity):
                if value.name in found:
                    raise TypeError(f"entity {value.name!r} is declared by two groups")
                found[value.name] = value
    return tuple(found.values())


# ----------------------------------------------------------------------------- shared params

LIMIT = Param("limit", ParamType.INTEGER, "Page size, 1..100 (Ashby caps larger values at 100; default 100).")
CURSOR = Param("cursor", ParamType.STRING, "Opaque cursor from the previous page's meta.cursor.")
SYNC_TOKEN = Param(
    "syncToken",
    ParamType.STRING,
    "Token from the last page of a previous full walk (meta.sync_token): returns only records created or "
    "changed since.",
)
CREATED_AFTER = Param(
    "createdAfter",
    ParamType.TIMESTAMP_MS,
    "Only records created after this moment (ms since epoch, or an ISO date/datetime).",
)
INCLUDE_ARCHIVED = Param("includeArchived", ParamType.BOOLEAN, "Include archived records (default false).")


def id_param(name: str, what: str, *, aliases: tuple[str, ...] = ()) -> Param:
    return Param(name, ParamType.UUID, f"Id of the {what}.", required=True, aliases=aliases)


def ref_param(name: str, entity: str, what: str, *, required: bool = True) -> Param:
    """The id of a record of ``entity`` (a dry run checks that it exists)."""
    return Param(name, ParamType.UUID, f"Id of the {what}.", required=required, refers_to=entity)


def filter_param(name: str, what: str) -> Param:
    return Param(name, ParamType.UUID, f"Only records of this {what}.")


def expand_param(*choices: str) -> Param:
    return Param("expand", ParamType.ENUM_LIST, "Embed related objects.", choices=choices)
