"""Which webhook events a change to a table announces, and the ``data`` each carries.

Ashby announces changes per event type, some with cascades: hiring fires ``candidateHire`` +
``candidateStageChange`` + ``applicationUpdate``; a stage change fires ``applicationUpdate`` too; an
interview plan transition fires ``jobUpdate``; publishing or unpublishing a posting fires
``jobPostingUpdate``; ``interviewScheduleCreate`` comes with ``interviewScheduleUpdate``. Candidates
themselves have no create or update events (only delete and merge), applications no delete event.

``announcements`` runs under the store lock right after the write, so a payload is the record as the
write left it. Each payload is built only if some webhook wants that event type (a thunk).
"""

from __future__ import annotations

from collections.abc import Callable

from ..endpoints.jobs import SUMMARY_FIELDS, is_published
from ..store import Record, Store, public

Payload = Callable[[], Record]
Announcement = tuple[str, Payload]
Announcer = Callable[[Store, Record | None, Record | None], list[Announcement]]


def _stage_id(application: Record | None) -> object:
    stage = (application or {}).get("currentInterviewStage")
    return stage.get("id") if isinstance(stage, dict) else None


def _offer_of(store: Store, application_id: str) -> Record | None:
    """The application's accepted offer, else its latest one (``candidateHire`` carries it)."""
    offers = store.table("offer")
    index = offers.index("applicationId", lambda record: (record.get("applicationId"),))
    found = [offers.rows[key[2]] for key in index.get(application_id, [])]
    accepted = [offer for offer in found if offer.get("acceptanceStatus") == "Accepted"]
    chosen = accepted or found
    return public(chosen[-1]) if chosen else None


def _application(store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if after is None:
        return []

    def data() -> Record:
        return {"application": public(after)}

    def hire() -> Record:
        return {**data(), "offer": _offer_of(store, str(after.get("id")))}

    if before is None:
        return [("applicationSubmit", data)]
    hired = after.get("status") == "Hired" and before.get("status") != "Hired"
    out: list[Announcement] = [("applicationUpdate", data)]
    if hired or _stage_id(before) != _stage_id(after):
        out.append(("candidateStageChange", data))
    if hired:
        out.append(("candidateHire", hire))
    return out


def _candidate(_store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if before is None or after is not None:
        return []

    def data() -> Record:
        return {"candidate": {"id": before.get("id")}}

    return [("candidateDelete", data)]


def _interview_schedule(store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if after is None:
        return []

    def created() -> Record:
        return {"interviewSchedule": public(after)}

    def updated() -> Record:
        application = store.get("application", str(after.get("applicationId")))
        candidate = (application or {}).get("candidate")
        candidate_id = candidate.get("id") if isinstance(candidate, dict) else None
        return {"interviewSchedule": public(after), "candidateId": candidate_id}

    if before is None:
        return [("interviewScheduleCreate", created), ("interviewScheduleUpdate", updated)]
    return [("interviewScheduleUpdate", updated)]


def _stage_mappings(store: Store, from_plan: object, to_plan: object) -> list[Record]:
    """Each stage of the old plan onto the first stage of the same type in the new one."""
    stages = sorted(
        store.table("interviewStage").rows.values(), key=lambda s: s.get("orderInInterviewPlan") or 0
    )
    target: dict[object, object] = {}
    for stage in stages:
        if stage.get("interviewPlanId") == to_plan:
            target.setdefault(stage.get("type"), stage.get("id"))
    return [
        {"fromInterviewStageId": stage.get("id"), "toInterviewStageId": target.get(stage.get("type"))}
        for stage in stages
        if stage.get("interviewPlanId") == from_plan
    ]


def _job(store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if after is None:
        return []

    def data() -> Record:
        return {"job": public(after)}

    if before is None:
        return [("jobCreate", data)]
    old_plan, new_plan = before.get("defaultInterviewPlanId"), after.get("defaultInterviewPlanId")

    def transition() -> Record:
        plans = store.table("interviewPlan").rows

        def plan(plan_id: object) -> Record | None:
            return public(plans[plan_id]) if isinstance(plan_id, str) and plan_id in plans else None

        return {
            "jobId": after.get("id"),
            "fromInterviewPlan": plan(old_plan),
            "toInterviewPlan": plan(new_plan),
            "interviewStageMappings": _stage_mappings(store, old_plan, new_plan),
        }

    if old_plan != new_plan:
        return [("interviewPlanTransition", transition), ("jobUpdate", data)]
    return [("jobUpdate", data)]


def _job_posting(_store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if after is None:
        return []

    def data() -> Record:
        return {"jobPosting": {name: after[name] for name in SUMMARY_FIELDS if name in after}}

    out: list[Announcement] = []
    was, now = before is not None and is_published(before), is_published(after)
    if now and not was:
        out.append(("jobPostingPublish", data))
    elif was and not now:
        out.append(("jobPostingUnpublish", data))
    out.append(("jobPostingUpdate", data))
    return out


def _offer(_store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if after is None:
        gone = before or {}

        def deleted() -> Record:
            return {"offer": {"id": gone.get("id"), "applicationId": gone.get("applicationId")}}

        return [("offerDelete", deleted)]

    def data() -> Record:
        return {"offer": public(after)}

    return [("offerCreate" if before is None else "offerUpdate", data)]


def _opening(_store: Store, before: Record | None, after: Record | None) -> list[Announcement]:
    if before is not None or after is None:
        return []

    def data() -> Record:
        return {"opening": public(after)}

    return [("openingCreate", data)]


#: Table -> what a change to one of its records announces. Other tables announce nothing.
ANNOUNCERS: dict[str, Announcer] = {
    "application": _application,
    "candidate": _candidate,
    "interviewSchedule": _interview_schedule,
    "job": _job,
    "jobPosting": _job_posting,
    "offer": _offer,
    "opening": _opening,
}


def announcements(
    store: Store, table: str, before: Record | None, after: Record | None
) -> list[Announcement]:
    """The events one write announces, in order: (event type, payload thunk)."""
    announcer = ANNOUNCERS.get(table)
    return announcer(store, before, after) if announcer else []


__all__ = ["ANNOUNCERS", "Announcement", "Payload", "announcements"]
