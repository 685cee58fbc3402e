"""What an operation and an entity are: the vocabulary the catalog is declared in.

An :class:`Operation` is one Ashby endpoint as an ``(entity, action)`` pair with its declared params; an
:class:`Entity` groups the operations about one kind of record. The catalog (``catalog.py``) declares
every entity as ``NAME: Entity[ListModel, GetModel] = Entity(name, description, *operations)`` and
binds each one to that annotation, which names its record models once for type checkers and run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, get_args

from ashby_agent.connectors.ashby.params import Param, ParamType, index_spellings
from ashby_agent.errors import UnknownActionError

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "ACTIONS",
    "CREATED_AFTER",
    "CURSOR",
    "INCLUDE_ARCHIVED",
    "LIMIT",
    "SYNC_TOKEN",
    "Action",
    "Entity",
    "Operation",
    "expand_param",
    "filter_param",
    "id_param",
]

ListT = TypeVar("ListT", bound="BaseModel")
GetT = TypeVar("GetT", bound="BaseModel")

Action = Literal["list", "get", "api_search"]
ACTIONS: tuple[Action, ...] = ("list", "get", "api_search")


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
    read_only: bool = True
    entity: str = ""  # set by Entity
    owner: Entity[Any, Any] | None = field(default=None, repr=False, compare=False)  # set by Entity

    @property
    def all_params(self) -> tuple[Param, ...]:
        """Declared params plus the pagination and sync params the endpoint takes."""
        extra: tuple[Param, ...] = ()
        if self.paginated:
            extra += (LIMIT, CURSOR)
        if self.sync:
            extra += (SYNC_TOKEN,)
        return self.params + extra

    @property
    def spellings(self) -> Mapping[str, Param]:
        return _spellings(self)

    @property
    def returns_list(self) -> bool:
        return self.action != "get"

    @property
    def result(self) -> type[BaseModel]:
        """The record model of this operation's answer: its entity's ``get_model`` or ``list_model``."""
        assert self.owner is not None, "an Operation belongs to an Entity"
        return self.owner.get_model if self.action == "get" else self.owner.list_model


_SPELLINGS: dict[tuple[str, str], Mapping[str, Param]] = {}


def _spellings(op: Operation) -> Mapping[str, Param]:
    key = (op.entity, op.action)
    found = _SPELLINGS.get(key)
    if found is None:
        found = _SPELLINGS[key] = index_spellings(op.all_params)
    return found


class Entity(Generic[ListT, GetT]):
    """A kind of Ashby record and the operations that read it.

    Declared in this module as ``NAME: Entity[ListModel, GetModel] = Entity(name, description, *ops)``:
    the annotation names the record model of ``list``/``api_search`` and the one of ``get``, once. Type
    checkers read it as written; at run time ``list_model``/``get_model`` (and ``Operation.result``)
    resolve that same annotation on first use, importing only the records modules it names.
    """

    def __init__(self, name: str, description: str, *operations: Operation) -> None:
        self.name = name
        self.description = description
        self._models: tuple[type[ListT], type[GetT]] | None = None
        self._declaration: tuple[str, Mapping[str, Any]] | None = None
        ops: dict[str, Operation] = {}
        for op in operations:
            object.__setattr__(op, "entity", name)
            object.__setattr__(op, "owner", self)
            ops[op.action] = op
        self.operations: Mapping[str, Operation] = ops

    @property
    def list_model(self) -> type[ListT]:
        """The record model of ``list`` and ``api_search``."""
        return self._declared_models()[0]

    @property
    def get_model(self) -> type[GetT]:
        """The record model of ``get``."""
        return self._declared_models()[1]

    def bind_declaration(self, annotation: str, namespace: Mapping[str, Any]) -> None:
        """Remember the annotation this entity is declared with (``"Entity[Candidate, Candidate]"``)."""
        self._declaration = (annotation, namespace)

    def _declared_models(self) -> tuple[type[ListT], type[GetT]]:
        models = self._models
        if models is None:
            if self._declaration is None:
                raise TypeError(f"entity {self.name!r} was not declared with an Entity[...] annotation")
            annotation, namespace = self._declaration
            # Evaluated as typing.get_type_hints would (module globals, then record names), for this one
            # entity: only the records modules it names are imported.
            declared = eval(annotation, dict(namespace), _RecordNamespace())
            models = self._models = get_args(declared)
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
        return f"Entity({self.name!r}, actions={self.actions})"


class _RecordNamespace(dict[str, Any]):
    """Resolves the names of a declaration to the record classes of ``models``, on lookup."""

    def __missing__(self, name: str) -> Any:
        from ashby_agent.connectors.ashby import models  # cheap: its records load per name

        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None


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


def filter_param(name: str, what: str) -> Param:
    return Param(name, ParamType.UUID, f"Only records of this {what}.")


def expand_param(*choices: str) -> Param:
    return Param("expand", ParamType.ENUM_LIST, "Embed related objects.", choices=choices)
