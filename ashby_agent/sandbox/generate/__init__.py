"""Deterministic seed data for the Ashby sandbox: ``generate(seed, scale, now_ms) -> Dataset``.

The dataset is a realistic tenant (see ``docs/architecture.md``, "Dataset contract"): every table the
sandbox serves, in Ashby's wire form, with referential integrity across tables and statuses that agree
with stages, dates and each other. The same ``(seed, scale, now_ms)`` gives the same bytes in every
process: all randomness comes from one ``random.Random(seed)`` consumed in a fixed order, nothing reads
the wall clock, and no set or ``hash()`` order leaks into the output.

Embedded objects (an application's ``currentInterviewStage``, ``job``, ``candidate``, ``source``; users
inside other records) are shared by reference between records: treat records as immutable and copy
before changing one.

One module per Ashby module (``organization``, ``metadata``, ``jobs``, ``interviews``, ``candidates``,
``applications``, ``projects``, ``offers``) builds its tables on the shared ``context``; ``generate()``
runs their steps in one fixed order.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from .applications import add_criteria_evaluations
from .candidates import add_candidates, add_client_info, add_fraud_checks, add_notes
from .context import Context, Dataset, Record, sort_created
from .interviews import add_schedules, scorecard_forms
from .jobs import add_jobs
from .metadata import add_metadata
from .offers import offer_for
from .organization import add_organization
from .projects import add_projects

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
        # Each step reads what the earlier ones built and draws from the one RNG: the order is the data.
        add_organization(ctx, spec.users)
        add_metadata(ctx)
        add_jobs(ctx, spec.jobs, spec.job_templates)
        add_candidates(ctx, spec.candidates)
        add_notes(ctx)
        add_projects(ctx, spec.projects)
        add_fraud_checks(ctx)
        add_client_info(ctx)
        add_criteria_evaluations(ctx)
        _add_stage_activity(ctx, spec.interview_rate)
    ctx.tables["fileHandle"] = ctx.files
    return {name: ctx.tables[name] for name in TABLES}


def _add_stage_activity(ctx: Context, interview_rate: float) -> None:
    """Interview schedules (with events and scorecards) and offers, application by application.

    ``interview_rate`` is the share of applications that get schedules and scorecards; the large scale
    lowers it to stay fast. Offers are always generated: one for each application that reached its
    plan's Offer stage.
    """
    rand = ctx.rng.random
    forms = scorecard_forms(ctx)
    schedules: list[Record] = []
    feedback: list[Record] = []
    offers: list[Record] = []
    for walk in ctx.walks:
        if rand() < interview_rate:
            add_schedules(ctx, walk, forms, schedules, feedback)
        offer_index = len(walk.plan.stages) - 3
        if offer_index in walk.path:
            offers.append(offer_for(ctx, walk, walk.path.index(offer_index)))
    ctx.tables["interviewSchedule"] = sort_created(schedules)
    feedback.sort(key=lambda f: (f["submittedAt"], f["id"]))
    ctx.tables["applicationFeedback"] = feedback
    offers.sort(key=lambda o: (o["versions"][0]["createdAt"], o["id"]))
    ctx.tables["offer"] = offers


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
