"""What the context store replicates and how, derived from the operation catalog.

A :class:`Stream` is one entity's list operation as the sync engine runs it: incremental with Ashby's
``syncToken`` where the list takes one, otherwise re-read in full every run (small reference lists);
``createdAfter`` from the replication start where Ashby takes it; every ``include...`` flag that widens
the listing to archived or deactivated records set (and every job status, Draft included), so they are
kept and marked instead of missed.

Lists that need a parent id are replicated once per parent already in the store. Only the cheap one is
on by default: ``interview_stages`` (one call per interview plan). The others cost one request per
candidate or application (notes, history, fraud checks, ...) and are opt-in by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from ashby_agent.connectors.ashby.catalog import ENTITIES
from ashby_agent.errors import InvalidQueryError, InvalidRequestError

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.operation import Operation

__all__ = ["DEFAULT_STREAMS", "STREAMS", "Parent", "Stream", "check_stored", "select_streams"]

#: Params that widen a listing to every record (archived, deactivated, disabled, not shared).
_WIDENING: Final = frozenset(
    {
        "includeArchived",
        "includeDeactivated",
        "includeArchivedPools",
        "includeDisabled",
        "includeNonSharedInterviews",
    }
)
#: Enum filters whose default leaves records out (``job.list`` skips Draft jobs unless asked): the
#: store sends every declared choice.
_EVERY_CHOICE: Final = {"jobs": "status"}
#: A required parent param -> the entity whose records are the parents.
_PARENT_OF: Final = {
    "candidateId": "candidates",
    "applicationId": "applications",
    "userId": "users",
    "interviewPlanId": "interview_plans",
    "interviewScheduleId": "interview_schedules",
}
#: Per-parent lists replicated by default (cheap: few parents).
_DEFAULT_CHILDREN: Final = frozenset({"interview_stages"})


@dataclass(frozen=True, slots=True)
class Parent:
    entity: str
    param: str


@dataclass(frozen=True, slots=True)
class Stream:
    """One entity's list operation, as replicated."""

    entity: str
    op: Operation
    parent: Parent | None = None
    #: Body keys always sent (the widening flags).
    fixed: Mapping[str, Any] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return self.op.sync and self.parent is None

    @property
    def created_after(self) -> bool:
        return any(param.name == "createdAfter" for param in self.op.all_params)


def _stream(op: Operation) -> Stream | None:
    required = [param.name for param in op.all_params if param.required]
    parent = None
    if required:
        if len(required) != 1 or required[0] not in _PARENT_OF:
            return None
        parent = Parent(_PARENT_OF[required[0]], required[0])
    fixed: dict[str, Any] = {param.name: True for param in op.all_params if param.name in _WIDENING}
    for param in op.all_params:
        if _EVERY_CHOICE.get(op.entity) == param.name:
            fixed[param.name] = list(param.choices)
    return Stream(op.entity, op, parent, fixed)


def _streams() -> dict[str, Stream]:
    found: dict[str, Stream] = {}
    for entity in ENTITIES:
        op = entity.operations.get("list")
        stream = _stream(op) if op is not None else None
        if stream is not None:
            found[stream.entity] = stream
    return found


#: Every entity the store can replicate, in catalog order (parents come before their children).
STREAMS: Final[Mapping[str, Stream]] = _streams()
#: What a sync replicates unless told otherwise.
DEFAULT_STREAMS: Final = tuple(
    name for name, stream in STREAMS.items() if stream.parent is None or name in _DEFAULT_CHILDREN
)


def select_streams(entities: Iterable[str] | None) -> list[Stream]:
    """The streams for ``entities`` (default: :data:`DEFAULT_STREAMS`), parents first.

    A child list's parent entity is added when it is not named, since its parents come from the store.
    """
    names = list(DEFAULT_STREAMS) if entities is None else [name.strip() for name in entities if name.strip()]
    unknown = [name for name in names if name not in STREAMS]
    if unknown:
        raise InvalidRequestError(
            f"The context store cannot replicate {', '.join(map(repr, unknown))}; "
            f"replicable entities: {', '.join(STREAMS)}.",
            valid=list(STREAMS),
        )
    wanted = set(names)
    for name in names:
        parent = STREAMS[name].parent
        if parent is not None:
            wanted.add(parent.entity)
    return [stream for name, stream in STREAMS.items() if name in wanted]


def check_stored(entity: str) -> None:
    """Refuse an entity the store does not replicate, naming the ones it does."""
    if entity not in STREAMS:
        raise InvalidQueryError(
            f"'{entity}' is not kept in the context store; stored entities: {', '.join(STREAMS)}.",
            valid=list(STREAMS),
            where="entity",
        )
