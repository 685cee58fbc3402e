"""Applications: a walk through the job's interview plan, its history rows, and its criteria evaluations.

An application starts at the plan's first Lead stage (sourced candidates, leads) or at Application
Review, moves forward one stage at a time and stops in its current stage; archived applications end in
the plan's Archived stage, hired ones in Hired. ``status`` is derived from that last stage's type and
``archiveReason``/``archivedAt`` exist exactly for archived ones.

This is the hottest code of the large scale (150k+ applications, ~500k history rows), so ``make()``
formats each instant once and shares immutable embedded objects (stages, job summaries, sources, users,
hiring teams) between records instead of copying them.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import corpus
from .context import DAY_MS, HOUR_MS, MINUTE_MS, Context, JobPlan, Record, Walk, sort_created
from .metadata import custom_value

_STATUS_OF = {"Lead": "Lead", "Archived": "Archived", "Hired": "Hired"}
_ALLOWED_ACTIONS = ["delete", "set_entered_at"]
# (outcome, current stage index): the first applications are forced into these so that every status and
# every stage type is present even in a tiny dataset. -3 is the Offer stage.
_FORCED = (("Lead", 0), ("Active", 2), ("Active", 3), ("Active", -3), ("Hired", 0), ("Archived", 0))
# Indices into corpus.ARCHIVE_REASONS, repeated by how often each ends an application early (lead or
# application review) or late (after interviews or an offer).
_EARLY_REASONS = (0, 0, 0, 1, 1, 2, 6, 7, 8)
_LATE_REASONS = (3, 3, 3, 4, 5, 5, 6, 2, 7)
_RECENT_MS = 120 * DAY_MS
"""Applications still in play (Active, Lead) were created within this long before the window's end."""


@dataclass(slots=True)
class Applicant:
    """What each of a candidate's applications copies from the candidate."""

    summary: Record
    """The embedded ``{id, name, primaryEmailAddress?, primaryPhoneNumber?}``."""
    source: Record | None
    kind: str
    """The source's type (``Inbound`` when there is no source)."""
    credited: Record | None


class ApplicationMaker:
    """Builds application walks; holds the dataset-wide lookups so each ``make()`` call stays cheap."""

    def __init__(self, ctx: Context) -> None:
        """Precompute the job pick list and archive-reason pools from the context."""
        self.ctx = ctx
        self.open_plans = [p for p in ctx.job_plans if p.closed_ms is None]
        self.pick = self.open_plans * 3 + ctx.job_plans
        """Jobs weighted by how many applications they attract (open ones three times as many)."""
        self.forced = 0
        self.fields = ctx.custom_fields["Application"]
        reasons = ctx.archive_reason_embeds
        self.early_reasons = [reasons[i] for i in _EARLY_REASONS]
        self.late_reasons = [reasons[i] for i in _LATE_REASONS]
        self.retired_reasons = [r for r in reasons if r["isArchived"]]

    def make(self, applicant: Applicant, skip: list[JobPlan]) -> Walk:
        """One application of ``applicant`` (to a job other than those in ``skip`` when possible)."""
        ctx = self.ctx
        rand = ctx.rng.random
        uid = ctx.uid
        plan, outcome, stage_index = self._job_and_outcome(skip)
        stages = plan.stages
        path = self._path(len(stages), outcome, stage_index, applicant.kind)
        times = self._times(plan, outcome, len(path))
        stamps = list(map(ctx.iso, times))
        app_id = uid()
        team = plan.job["hiringTeam"]
        actor = team[0]["userId"]
        history: list[Record] = []
        last = len(path) - 1
        for k in range(last):
            stage = stages[path[k]]
            history.append(
                {
                    "id": uid(),
                    "stageId": stage["id"],
                    "title": stage["title"],
                    "stageNumber": k,
                    "enteredStageAt": stamps[k],
                    "leftStageAt": stamps[k + 1],
                    "allowedActions": _ALLOWED_ACTIONS,
                    "actorId": actor if k else None,
                    "_applicationId": app_id,
                }
            )
        current = stages[path[last]]
        history.append(
            {
                "id": uid(),
                "stageId": current["id"],
                "title": current["title"],
                "stageNumber": last,
                "enteredStageAt": stamps[last],
                "allowedActions": _ALLOWED_ACTIONS,
                "actorId": actor if last else None,
                "_applicationId": app_id,
            }
        )
        status = _STATUS_OF.get(current["type"], "Active")
        fields = self.fields
        app: Record = {
            "id": app_id,
            "createdAt": stamps[0],
            "updatedAt": stamps[last],
            "status": status,
            "candidate": applicant.summary,
            "currentInterviewStage": current,
            "job": plan.summary,
            "hiringTeam": team,
            "customFields": [custom_value(ctx, fields[int(rand() * len(fields))])] if rand() < 0.25 else [],
            "source": applicant.source,
            "archiveReason": None,
        }
        if status == "Archived":
            reasons = (
                self.retired_reasons
                if rand() < 0.03
                else self.early_reasons
                if path[-2] <= 2
                else self.late_reasons
            )
            app["archiveReason"] = reasons[int(rand() * len(reasons))]
            app["archivedAt"] = stamps[last]
        app["creditedToUser"] = applicant.credited
        if applicant.kind == "Inbound" and plan.posting_id is not None:
            app["appliedViaJobPostingId"] = plan.posting_id
            ip = ctx.rng.getrandbits(32)
            app["submitterClientIp"] = f"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}"
            app["submitterUserAgent"] = corpus.USER_AGENTS[int(rand() * len(corpus.USER_AGENTS))]
        else:
            app["submitterClientIp"] = None
            app["submitterUserAgent"] = None
        return Walk(app, plan, path, times, history)

    def _job_and_outcome(self, skip: list[JobPlan]) -> tuple[JobPlan, str, int]:
        """A job and where the application ends: an outcome and, if forced, its current stage index."""
        rand = self.ctx.rng.random
        if self.forced < len(_FORCED):
            outcome, stage_index = _FORCED[self.forced]
            self.forced += 1
            return self.open_plans[int(rand() * len(self.open_plans))], outcome, stage_index
        pick = self.pick
        plan = pick[int(rand() * len(pick))]
        if plan in skip:
            plan = pick[int(rand() * len(pick))]
        r = rand()
        if plan.closed_ms is None:
            outcome = "Lead" if r < 0.10 else "Active" if r < 0.40 else "Archived" if r < 0.97 else "Hired"
        else:
            outcome = "Archived" if r < 0.96 else "Hired"
        return plan, outcome, 0

    def _path(self, n_stages: int, outcome: str, stage_index: int, kind: str) -> list[int]:
        """Stage indices visited, in order (plans: Lead, Lead, Review, Active..., Offer, Hired, Archived)."""
        rand = self.ctx.rng.random
        offer = n_stages - 3
        if outcome == "Lead":
            return [0] if rand() < 0.5 else [0, 1]
        start = 0 if kind == "Sourced" else 2
        if outcome == "Hired":
            return [*range(start, offer + 1), n_stages - 2]
        if stage_index:
            top = stage_index % n_stages
        else:
            r = rand()
            top = 2 if r < 0.6 else offer if r < 0.64 else 3 + int(rand() * (offer - 3))
            if start == 0 and outcome == "Archived" and rand() < 0.15:
                top = int(rand() * 2)
        path = list(range(start, top + 1))
        if outcome == "Archived":
            path.append(n_stages - 1)
        return path

    def _times(self, plan: JobPlan, outcome: str, steps: int) -> list[int]:
        """Strictly increasing stage-entry instants inside the job's open window (ending by now)."""
        rand = self.ctx.rng.random
        hi = plan.closed_ms or self.ctx.now_ms
        lo = plan.opened_ms
        if outcome in ("Active", "Lead") and hi - lo > _RECENT_MS:
            lo = hi - _RECENT_MS
        created = lo + int(rand() * (hi - lo - steps * HOUR_MS)) if hi - lo > steps * HOUR_MS else lo
        per_step = min(10 * DAY_MS, (hi - created) // steps)
        times = [created]
        t = created
        for _ in range(steps - 1):
            t += MINUTE_MS + int(rand() * per_step)
            times.append(t)
        return times


def add_criteria_evaluations(ctx: Context) -> None:
    """AI criteria evaluations (two criteria each) for about one application in eight."""
    rand = ctx.rng.random
    criteria: list[Record] = []
    for walk in ctx.walks:
        if rand() >= 0.12:
            continue
        app_id = walk.application["id"]
        at = ctx.iso(min(ctx.now_ms, walk.entered_ms[0] + 5 * MINUTE_MS))
        first = int(rand() * len(corpus.CRITERIA))
        for criterion in (corpus.CRITERIA[first], corpus.CRITERIA[first - 1]):
            r = rand()
            outcome = "Meets" if r < 0.55 else "DoesNotMeet" if r < 0.85 else "Unsure"
            criteria.append(
                {
                    "id": ctx.uid(),
                    "applicationId": app_id,
                    "criterion": criterion,
                    "outcome": outcome,
                    "reasoning": corpus.CRITERIA_REASONING[outcome],
                    "createdAt": at,
                }
            )
    ctx.tables["criteriaEvaluation"] = sort_created(criteria)
