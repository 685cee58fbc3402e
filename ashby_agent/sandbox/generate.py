"""Deterministic seed data for the Ashby sandbox: ``generate(seed, scale, now_ms) -> Dataset``.

The dataset is a realistic tenant (see ``docs/architecture.md``, "Dataset contract"): every table the
sandbox serves, in Ashby's wire form, with referential integrity across tables and statuses that agree
with stages, dates and each other. The same ``(seed, scale, now_ms)`` gives the same bytes in every
process: all randomness comes from one ``random.Random(seed)`` consumed in a fixed order, nothing reads
the wall clock, and no set or ``hash()`` order leaks into the output.

Embedded objects (an application's ``currentInterviewStage``, ``job``, ``candidate``, ``source``; users
inside other records) are shared by reference between records: treat records as immutable and copy
before changing one.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from ashby_agent.sandbox.generate_activity import add_activity
from ashby_agent.sandbox.generate_context import Context, Dataset, Record
from ashby_agent.sandbox.generate_jobs import add_jobs
from ashby_agent.sandbox.generate_org import add_metadata, add_org
from ashby_agent.sandbox.generate_people import add_people

__all__ = ["DEFAULT_NOW_MS", "SCALES", "TABLES", "Dataset", "Record", "Scale", "generate"]

DEFAULT_NOW_MS: Final = 1_793_534_400_000
"""2026-11-01T12:00:00.000Z: a fixed "now" so the default dataset never depends on the wall clock."""


@dataclass(frozen=True)
class Scale:
    """How many of the main objects a scale generates (the rest follow from these)."""

    candidates: int
    jobs: int
    users: int
    projects: int
    job_templates: int
    interview_rate: float
    """Share of applications that get interview schedules and scorecards."""


SCALES: Final = {
    "small": Scale(candidates=500, jobs=40, users=40, projects=8, job_templates=6, interview_rate=1.0),
    "medium": Scale(
        candidates=10_000, jobs=300, users=150, projects=20, job_templates=10, interview_rate=1.0
    ),
    "large": Scale(
        candidates=100_000, jobs=1_500, users=600, projects=40, job_templates=16, interview_rate=0.3
    ),
}

TABLES: Final = (
    "candidate",
    "application",
    "applicationHistory",
    "applicationFeedback",
    "job",
    "jobPosting",
    "jobBoard",
    "jobTemplate",
    "jobInterviewPlan",
    "opening",
    "department",
    "location",
    "user",
    "brand",
    "hiringTeamRole",
    "source",
    "archiveReason",
    "closeReason",
    "candidateTag",
    "customField",
    "feedbackFormDefinition",
    "interviewerPool",
    "communicationTemplate",
    "interviewPlan",
    "interviewStage",
    "interviewStageGroup",
    "interview",
    "interviewSchedule",
    "offer",
    "project",
    "note",
    "candidateProject",
    "clientInfo",
    "fileHandle",
    "webhook",
    "fraudCheck",
    "criteriaEvaluation",
    "interviewerSettings",
    "interviewerPause",
    "sourceTrackingLink",
    "referralForm",
)
"""Every table ``generate()`` returns, in this order."""


def generate(seed: int = 7, scale: str = "small", now_ms: int = DEFAULT_NOW_MS) -> Dataset:
    """Build the sandbox's seed data: table name → records in wire form (see the module docstring).

    ``now_ms`` is the sandbox clock at start-up (ms since the epoch); all timestamps fall in the two
    years before it (scheduled interviews excepted: they may be in the future).
    """
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; valid: {', '.join(SCALES)}.")
    spec = SCALES[scale]
    ctx = Context.create(seed, now_ms)
    with _collector_paused():
        add_org(ctx, spec.users)
        add_metadata(ctx)
        add_jobs(ctx, spec.jobs, spec.job_templates)
        add_people(ctx, spec.candidates, spec.projects)
        add_activity(ctx, spec.interview_rate)
    ctx.tables["fileHandle"] = ctx.files
    return {name: ctx.tables[name] for name in TABLES}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off the millions of (acyclic) records being built.

    Left on, its full collections rescan every record built so far again and again (doubling the
    large scale's run time); merely paused, it would scan them all once on its first run afterwards.
    So the records are frozen into the permanent generation (``gc.freeze()``) before it is re-enabled:
    they hold no reference cycles, so the collector has nothing to find in them, ever.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
