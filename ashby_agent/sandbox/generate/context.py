"""The generator's shared state: one seeded RNG, the id and clock formatters, and the tables so far.

Everything random flows through ``Context.rng`` in a fixed call order, which is what makes a seed
reproduce the same bytes in every process. Timestamps are plain integers (ms since the epoch) until
they are written into a record; ``iso()`` formats them without building ``datetime`` objects because
the large scale formats a few million of them. ``sort_created`` and ``ascii_slug`` are the two record
conventions every step shares.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import itemgetter
from typing import Any

Record = dict[str, Any]
Dataset = dict[str, list[Record]]

SECOND_MS = 1_000
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
HISTORY_DAYS = 730
"""The seeded tenant's history spans two years before ``now``."""

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MILLIS = tuple(f"{n:03d}Z" for n in range(1000))
_VERSION_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_SET = (0x4000 << 64) | (0x8000 << 48)


def _uid_source(rng: random.Random) -> Callable[[], str]:
    """A ``uid()`` closure over the RNG (called ~1.5M times at the large scale)."""
    getrandbits = rng.getrandbits

    def uid() -> str:
        # 4-digit groups "xxxx-xxxx-...-xxxx", then drop the dashes that UUIDs do not have (8-4-4-4-12).
        h = ((getrandbits(128) & _VERSION_CLEAR) | _VERSION_SET).to_bytes(16, "big").hex("-", 2)
        return h[:4] + h[5:29] + h[30:34] + h[35:]

    return uid


def _iso_formatter() -> Callable[[int], str]:
    """``iso(ms)`` from three table lookups (padded ``format`` calls are the slow part)."""
    days: dict[int, str] = {}
    clocks = _clock_strings()

    def iso(ms: int) -> str:
        day, rem = divmod(ms, DAY_MS)
        sec, milli = divmod(rem, 1000)
        try:
            prefix = days[day]
        except KeyError:
            prefix = days[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat() + "T"
        return prefix + clocks[sec] + _MILLIS[milli]

    return iso


@cache
def _clock_strings() -> tuple[str, ...]:
    """``"HH:MM:SS."`` for every second of a day, built once per process."""
    two = [f"{n:02d}" for n in range(60)]
    return tuple(f"{h}:{m}:{s}." for h in two[:24] for m in two for s in two)


@dataclass(slots=True, eq=False)
class JobPlan:
    """One job with what applications need from it: its plan's stages and its open window."""

    job: Record
    summary: Record
    """The ``{id, title, locationId, departmentId, brandId}`` embed applications share."""
    stages: list[Record]
    """The plan's InterviewStage records in plan order (Lead..., PreInterviewScreen, Active..., Offer,
    Hired, Archived)."""
    opened_ms: int
    closed_ms: int | None
    opening_ids: list[str]
    posting_id: str | None
    """The published external posting candidates apply through, if any."""
    currency: str
    salary_base: int


@dataclass(slots=True, eq=False)
class Walk:
    """One application's way through its plan, kept for the steps that add interviews and offers."""

    application: Record
    plan: JobPlan
    path: list[int]
    """Indices into ``plan.stages``, one per history entry."""
    entered_ms: list[int]
    """When each history entry was entered (strictly increasing)."""
    history: list[Record]


@dataclass
class Context:
    """State threaded through the generator steps (each step reads what earlier steps built)."""

    rng: random.Random
    now_ms: int
    start_ms: int
    tables: Dataset = field(default_factory=dict)
    # Lookups built by earlier steps for later ones (ids and shared embedded objects).
    users: list[Record] = field(default_factory=list)
    enabled_users: list[Record] = field(default_factory=list)
    recruiters: list[Record] = field(default_factory=list)
    author_of: dict[str, Record] = field(default_factory=dict)
    interviewer_of: dict[str, Record] = field(default_factory=dict)
    sources: list[Record] = field(default_factory=list)
    archive_reasons: list[Record] = field(default_factory=list)
    archive_reason_embeds: list[Record] = field(default_factory=list)
    tags: list[Record] = field(default_factory=list)
    custom_fields: dict[str, list[Record]] = field(default_factory=dict)
    stage_groups: dict[str, str] = field(default_factory=dict)
    feedback_forms: list[Record] = field(default_factory=list)
    close_reason_ids: list[str] = field(default_factory=list)
    job_boards: list[Record] = field(default_factory=list)
    brand_ids: list[str] = field(default_factory=list)
    department_by_id: dict[str, Record] = field(default_factory=dict)
    office_locations: list[Record] = field(default_factory=list)
    candidate_locations: list[Record] = field(default_factory=list)
    stage_interviews: dict[str, list[tuple[Record, int]]] = field(default_factory=dict)
    """Stage id → the (Interview, duration in minutes) pairs scheduled in that stage."""
    job_plans: list[JobPlan] = field(default_factory=list)
    walks: list[Walk] = field(default_factory=list)
    files: list[Record] = field(default_factory=list)
    """``fileHandle`` rows ``{handle, url}`` for every FileHandle handed out."""
    organization_id: str = ""
    uid: Callable[[], str] = field(init=False)
    """A lowercase UUID4 from the RNG: ``str(uuid.UUID(int=rng.getrandbits(128), version=4))``."""
    iso: Callable[[int], str] = field(init=False)
    """Milliseconds → ISO-8601 UTC with milliseconds and ``Z`` (``2025-03-04T21:38:12.442Z``)."""

    def __post_init__(self) -> None:
        """Bind the formatters to this context's RNG."""
        # Closures rather than methods: they are called a few million times at the large scale.
        self.uid = _uid_source(self.rng)
        self.iso = _iso_formatter()

    @classmethod
    def create(cls, seed: int, now_ms: int) -> Context:
        """A fresh context whose RNG is seeded with ``seed`` (string seeds are hashed by SHA-512)."""
        return cls(rng=random.Random(seed), now_ms=now_ms, start_ms=now_ms - HISTORY_DAYS * DAY_MS)

    def file_handle(self, name: str) -> Record:
        """A FileHandle ``{id, name, handle}``; its ``{handle, url}`` row is added for ``file.info``."""
        handle = self.rng.getrandbits(256).to_bytes(32, "big").hex()
        url = f"https://ashby-sandbox-files.s3.amazonaws.com/{handle}/{name.replace(' ', '%20')}"
        self.files.append({"handle": handle, "url": url})
        return {"id": self.uid(), "name": name, "handle": handle}

    def day(self, ms: int) -> str:
        """The UTC date of ``ms`` as ``YYYY-MM-DD``."""
        return self.iso(ms)[:10]

    def between(self, lo_ms: int, hi_ms: int) -> int:
        """A uniformly random instant in ``[lo_ms, hi_ms]`` (``lo_ms`` when the window is empty)."""
        return lo_ms + int(self.rng.random() * (hi_ms - lo_ms)) if hi_ms > lo_ms else lo_ms

    def early(self, spread_days: int = 30) -> int:
        """An instant near the start of the history, for set-up objects (org, metadata)."""
        return self.start_ms + int(self.rng.random() * spread_days * DAY_MS)

    def later(self, after_ms: int) -> int:
        """An instant between ``after_ms`` and now, for ``updatedAt``."""
        return self.between(after_ms, self.now_ms)

    def stamps(self, record: Record, created_ms: int, updated_ms: int | None = None) -> Record:
        """Set ``createdAt``/``updatedAt`` (updated defaults to a random later instant)."""
        record["createdAt"] = self.iso(created_ms)
        record["updatedAt"] = self.iso(self.later(created_ms) if updated_ms is None else updated_ms)
        return record


_SLUGS: dict[str, str] = {}
_CREATED_KEY = itemgetter("createdAt", "id")


def ascii_slug(name: str) -> str:
    """Lowercase ASCII form of a name for e-mail local parts and URLs (``Zoë O'Brien`` → ``zoeobrien``)."""
    slug = _SLUGS.get(name)
    if slug is None:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        slug = _SLUGS[name] = "".join(c for c in folded.lower() if c.isalnum())
    return slug


def sort_created(rows: list[Record]) -> list[Record]:
    """Rows in the store's walk order, ``(createdAt, id)``, sorted in place and returned."""
    rows.sort(key=_CREATED_KEY)
    return rows
