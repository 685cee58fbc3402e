"""Jobs-module writes over real HTTP: jobs, their status and compensation, postings and openings. Each
change is read back through the read endpoints and seen in the sync delta, each refusal answers its
Ashby error and writes nothing, and the webhook events arrive at a real receiver."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import NOW_MS, Api, SandboxFactory, _iso, _uid
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import Receiver
from tests.sandbox.write_dataset import IDS, UNKNOWN, write_dataset

DEPARTMENT, OLD_DEPARTMENT = _uid(0, 7), _uid(1, 7)
LOCATION, OLD_LOCATION, LOCATION2 = _uid(0, 6), _uid(1, 6), _uid(2, 6)
TEMPLATE, OLD_TEMPLATE, BRAND = _uid(0, 60), _uid(1, 60), _uid(0, 61)
POSTING, OPENING, DRAFT_OPENING = _uid(0, 62), _uid(0, 63), _uid(1, 63)
REASON, OLD_REASON = _uid(0, 64), _uid(1, 64)
OPEN, CLOSED, DRAFT, ARCHIVED = IDS["open_job"], IDS["closed_job"], IDS["draft_job"], IDS["archived_job"]
ALL_STATUSES = ["Draft", "Open", "Closed", "Archived"]
KEYS = ["full-key", "jobs-read:jobs:read", "cand-write:candidates:write"]
EVENTS = (
    "jobCreate",
    "jobUpdate",
    "interviewPlanTransition",
    "jobPostingUpdate",
    "jobPostingUnpublish",
    "openingCreate",
)
TIER = {
    "components": [
        {
            "compensationType": "Salary",
            "interval": "1 YEAR",
            "currencyCode": "EUR",
            "minValue": 72023.45,
            "maxValue": 100000,
        }
    ]
}


def _location(n: int, archived: bool) -> dict[str, Any]:
    return {
        "id": _uid(n, 6),
        "name": f"Office {n}",
        "externalName": None,
        "isArchived": archived,
        "address": None,
        "isRemote": False,
        "workplaceType": "OnSite",
        "parentLocationId": None,
        "type": "Location",
        "extraData": None,
    }


def _part(html: str, plain: str) -> dict[str, str]:
    return {"html": html, "plain": plain}


def jobs_dataset() -> dict[str, list[dict[str, Any]]]:
    """The write dataset plus what jobs writes name: offices, templates, a brand, a posting of the open
    job, close reasons, an Open opening of the open job and a Draft one."""
    data = write_dataset()
    created = _iso(NOW_MS - 100 * 86_400_000)
    data["location"] = [_location(0, False), _location(1, True), _location(2, False)]
    data["jobTemplate"] = [
        {
            "id": _uid(n, 60),
            "title": f"Template {n}",
            "isArchived": n == 1,
            "departmentId": DEPARTMENT,
            "locationId": LOCATION,
            "employmentType": "Contract",
            "createdAt": created,
            "updatedAt": created,
        }
        for n in range(2)
    ]
    data["brand"] = [{"id": BRAND, "name": "Main", "hostedJobsPageSlug": "main"}]
    data["closeReason"] = [
        {"id": REASON, "reasonText": "Hired", "isArchived": False},
        {"id": OLD_REASON, "reasonText": "Old", "isArchived": True},
    ]
    opening, body, closing = (
        _part("<p>Hi</p>", "Hi"),
        _part("<p>Body</p>", "Body"),
        _part("<p>Bye</p>", "Bye"),
    )
    data["jobPosting"] = [
        {
            "id": POSTING,
            "title": "Engineer",
            "jobId": OPEN,
            "workplaceType": "OnSite",
            "isRemote": False,
            "isListed": True,
            "updatedAt": created,
            "descriptionHtml": "<p>Hi</p><p>Body</p><p>Bye</p>",
            "descriptionPlain": "Hi\n\nBody\n\nBye",
            "descriptionParts": {
                "descriptionOpening": opening,
                "descriptionBody": body,
                "descriptionClosing": closing,
            },
            "linkedData": {"title": "Engineer", "description": "<p>Hi</p><p>Body</p><p>Bye</p>"},
            "suppressDescriptionOpening": False,
            "suppressDescriptionClosing": False,
            "compensationTierSummary": None,
            "compensation": {
                "compensationTierSummary": None,
                "summaryComponents": [],
                "compensationTiers": [],
                "shouldDisplayCompensationOnJobBoard": True,
            },
            "_isPublished": True,
        }
    ]
    data["job"][0]["jobPostingIds"] = [POSTING]
    version = {
        "id": _uid(0, 65),
        "identifier": "ENG-1",
        "description": "Headcount",
        "authorId": IDS["admin"],
        "createdAt": created,
        "teamId": DEPARTMENT,
        "jobIds": [OPEN],
        "targetHireDate": "2026-03-01",
        "targetStartDate": None,
        "isBackfill": False,
        "employmentType": "FullTime",
        "locationIds": [LOCATION],
        "hiringTeam": [],
        "customFields": [],
    }
    data["opening"] = [
        {
            "id": OPENING,
            "openedAt": created,
            "closedAt": None,
            "isArchived": False,
            "archivedAt": None,
            "closeReasonId": None,
            "openingState": "Open",
            "latestVersion": version,
        },
        {
            "id": DRAFT_OPENING,
            "openedAt": None,
            "closedAt": None,
            "isArchived": False,
            "archivedAt": None,
            "closeReasonId": None,
            "openingState": "Draft",
            "latestVersion": {
                **copy.deepcopy(version),
                "id": _uid(1, 65),
                "identifier": None,
                "jobIds": [],
                "locationIds": [],
            },
        },
    ]
    return data


@pytest.fixture
def jsb(fresh: SandboxFactory, receiver: Receiver) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=jobs_dataset(), webhook_retry_scale=FAST) as sb:
        for event in EVENTS:
            subscribe(sb, receiver, event, f"/{event}")
        yield sb


@pytest.fixture
def japi(jsb: SandboxHandle, client_for: Callable[..., Api]) -> Api:
    client: Api = client_for(jsb)
    return client


class JobDelta(Delta):
    """A ``job.list`` delta over every status: its default filter hides Drafts from deltas too."""

    def __init__(self, api: Api) -> None:
        self.api, self.endpoint = api, "job.list"
        _records, token = api.walk("job.list", status=ALL_STATUSES)
        assert token
        self.token = token

    def records(self) -> list[dict[str, Any]]:
        records, _token = self.api.walk(self.endpoint, syncToken=self.token, status=ALL_STATUSES)
        return records


def _job(api: Api, job_id: str, **params: Any) -> dict[str, Any]:
    record: dict[str, Any] = results(api("job.info", id=job_id, **params))
    return record


def _opening(api: Api, opening_id: str) -> dict[str, Any]:
    record: dict[str, Any] = results(api("opening.info", openingId=opening_id))
    return record


# -- job.create -------------------------------------------------------------------------------------
def test_create_makes_a_draft_seen_by_info_the_delta_and_a_job_create_event(
    japi: Api, receiver: Receiver
) -> None:
    delta = JobDelta(japi)
    created = results(japi("job.create", title="  Data Engineer ", teamId=DEPARTMENT, locationId=LOCATION))
    assert (created["title"], created["status"], created["employmentType"]) == (
        "Data Engineer",
        "Draft",
        "FullTime",
    )
    assert (created["departmentId"], created["locationId"]) == (DEPARTMENT, LOCATION)
    assert created["openedAt"] is created["closedAt"] is created["defaultInterviewPlanId"] is None
    assert created["interviewPlanIds"] == created["jobPostingIds"] == created["hiringTeam"] == []
    assert created["author"]["id"] == IDS["admin"] and created["createdAt"] == created["updatedAt"]
    assert _job(japi, created["id"]) == created
    assert created["id"] not in {j["id"] for j in japi.walk("job.list")[0]}  # Drafts hidden by default
    assert delta.ids() == [created["id"]]
    (event,) = receiver.wait_for(1, "/jobCreate")
    assert event.json["data"]["job"] == created


def test_create_with_a_plan_a_template_and_a_brand(japi: Api) -> None:
    created = results(
        japi(
            "job.create",
            title="Analyst",
            teamId=DEPARTMENT,
            locationId=LOCATION2,
            defaultInterviewPlanId=IDS["plan3"],
            jobTemplateId=TEMPLATE,
            brandId=BRAND,
        )
    )
    assert created["defaultInterviewPlanId"] == IDS["plan3"] and created["interviewPlanIds"] == [IDS["plan3"]]
    assert (created["employmentType"], created["brandId"]) == ("Contract", BRAND)
    plan = results(japi("jobInterviewPlan.info", jobId=created["id"]))
    assert plan["interviewPlanId"] == IDS["plan3"] and plan["stages"][0]["id"] == IDS["plan3_lead"]


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"title": None}, "invalid_input", "title"),
        ({"title": "  "}, "invalid_input", "title"),
        ({"teamId": None}, "invalid_input", "teamId"),
        ({"locationId": None}, "invalid_input", "locationId"),
        ({"teamId": "eng"}, "invalid_input", "teamId"),
        ({"teamId": UNKNOWN}, "department_not_found", None),
        ({"teamId": OLD_DEPARTMENT}, "invalid_input", "teamId"),
        ({"locationId": UNKNOWN}, "location_not_found", None),
        ({"locationId": OLD_LOCATION}, "invalid_input", "locationId"),
        ({"defaultInterviewPlanId": UNKNOWN}, "interview_plan_not_found", None),
        ({"jobTemplateId": UNKNOWN}, "job_template_not_found", None),
        ({"jobTemplateId": OLD_TEMPLATE}, "invalid_input", "jobTemplateId"),
        ({"brandId": UNKNOWN}, "brand_not_found", None),
    ],
)
def test_create_refusals_write_nothing(
    japi: Api, change: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = JobDelta(japi)
    body = {"title": "X", "teamId": DEPARTMENT, "locationId": LOCATION, **change}
    error(japi("job.create", **{k: v for k, v in body.items() if v is not None}), code, parameter)
    assert delta.ids() == []


# -- job.update -------------------------------------------------------------------------------------
def test_update_changes_the_job_and_the_summary_its_applications_embed(japi: Api, jsb: SandboxHandle) -> None:
    applications = [a["id"] for a in jsb.control.records("application") if a["job"]["id"] == OPEN]
    jobs = JobDelta(japi)
    before = _job(japi, OPEN)
    jsb.control.advance_clock(5)
    updated = results(
        japi(
            "job.update",
            jobId=OPEN,
            title="Staff Engineer",
            locationId=LOCATION2,
            customRequisitionId="REQ-9",
        )
    )
    assert (updated["title"], updated["locationId"], updated["customRequisitionId"]) == (
        "Staff Engineer",
        LOCATION2,
        "REQ-9",
    )
    assert updated["updatedAt"] > before["updatedAt"] and _job(japi, OPEN) == updated
    assert jobs.ids() == [OPEN]
    for application_id in applications:
        summary = results(japi("application.info", applicationId=application_id))["job"]
        assert (summary["title"], summary["locationId"]) == ("Staff Engineer", LOCATION2)
    cleared = results(japi("job.update", jobId=OPEN, customRequisitionId=None))
    assert cleared["customRequisitionId"] is None


def test_an_update_that_changes_nothing_writes_nothing(japi: Api) -> None:
    job = _job(japi, OPEN)
    delta = JobDelta(japi)
    assert results(japi("job.update", jobId=OPEN, title=job["title"], teamId=job["departmentId"])) == job
    assert delta.ids() == []


def test_a_new_default_plan_is_a_plan_transition_and_an_update(japi: Api, receiver: Receiver) -> None:
    updated = results(japi("job.update", jobId=OPEN, defaultInterviewPlanId=IDS["plan3"]))
    assert updated["interviewPlanIds"] == [IDS["plan1"], IDS["plan2"], IDS["plan3"]]
    assert results(japi("jobInterviewPlan.info", jobId=OPEN))["interviewPlanId"] == IDS["plan3"]
    (transition,) = receiver.wait_for(1, "/interviewPlanTransition")
    data = transition.json["data"]
    assert (data["jobId"], data["fromInterviewPlan"]["id"], data["toInterviewPlan"]["id"]) == (
        OPEN,
        IDS["plan1"],
        IDS["plan3"],
    )
    (update,) = receiver.wait_for(1, "/jobUpdate")
    assert update.json["data"]["job"] == updated


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"jobId": None}, "invalid_input", "jobId"),
        ({"jobId": UNKNOWN}, "job_not_found", None),
        ({"title": ""}, "invalid_input", "title"),
        ({"teamId": OLD_DEPARTMENT}, "invalid_input", "teamId"),
        ({"locationId": UNKNOWN}, "location_not_found", None),
        ({"defaultInterviewPlanId": "plan"}, "invalid_input", "defaultInterviewPlanId"),
        ({"customRequisitionId": 7}, "invalid_input", "customRequisitionId"),
    ],
)
def test_update_refusals_write_nothing(
    japi: Api, change: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = JobDelta(japi)
    body = {k: v for k, v in {"jobId": OPEN, **change}.items() if v is not None}
    error(japi("job.update", **body), code, parameter)
    assert delta.ids() == []


# -- job.setStatus ----------------------------------------------------------------------------------
ALLOWED = {
    ("Draft", "Open"),
    ("Draft", "Archived"),
    ("Open", "Closed"),
    ("Closed", "Draft"),
    ("Closed", "Archived"),
    ("Archived", "Draft"),
}
JOB_OF = {"Open": OPEN, "Closed": CLOSED, "Draft": DRAFT, "Archived": ARCHIVED}


@pytest.mark.parametrize("target", ["Draft", "Open", "Closed", "Archived"])
@pytest.mark.parametrize("current", ["Draft", "Open", "Closed", "Archived"])
def test_status_transitions_follow_ashby(japi: Api, jsb: SandboxHandle, current: str, target: str) -> None:
    job_id = JOB_OF[current]
    delta = JobDelta(japi)
    answer = japi("job.setStatus", jobId=job_id, status=target)
    if current == target:
        assert results(answer)["status"] == current and delta.ids() == []
    elif (current, target) in ALLOWED:
        job = results(answer)
        assert job["status"] == target and delta.ids() == [job_id]
        now = job["updatedAt"]
        expected = {"Open": (now, None), "Draft": (None, None)}.get(target)
        if expected is not None:
            assert (job["openedAt"], job["closedAt"]) == expected
        else:
            assert job["closedAt"] is not None
            assert target != "Closed" or job["closedAt"] == now
    else:
        message = error(answer, "job_status_transition_invalid")
        assert f"is {current} and cannot become {target}" in message
        assert jsb.control.get("job", job_id)["status"] == current and delta.ids() == []


def test_opening_needs_a_default_plan(japi: Api) -> None:
    created = results(japi("job.create", title="No plan", teamId=DEPARTMENT, locationId=LOCATION))
    error(japi("job.setStatus", jobId=created["id"], status="Open"), "job_interview_plan_required")
    japi("job.update", jobId=created["id"], defaultInterviewPlanId=IDS["plan1"])
    assert results(japi("job.setStatus", jobId=created["id"], status="Open"))["openedAt"] is not None


def test_closing_unpublishes_the_postings(japi: Api, receiver: Receiver) -> None:
    assert [p["id"] for p in results(japi("jobPosting.list"))] == [POSTING]
    results(japi("job.setStatus", jobId=OPEN, status="Closed"))
    assert results(japi("jobPosting.list")) == []
    assert _job(japi, OPEN)["jobPostingIds"] == []
    assert _job(japi, OPEN, includeUnpublishedJobPostingsIds=True)["jobPostingIds"] == [POSTING]
    (unpublish,) = receiver.wait_for(1, "/jobPostingUnpublish")
    assert unpublish.json["data"]["jobPosting"]["id"] == POSTING
    receiver.wait_for(1, "/jobPostingUpdate")
    error(japi("application.create", candidateId=IDS["lonely"], jobId=OPEN), "job_closed")


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"status": "Open"}, "jobId"),
        ({"jobId": OPEN}, "status"),
        ({"jobId": OPEN, "status": "Paused"}, "status"),
    ],
)
def test_set_status_refusals(japi: Api, body: dict[str, Any], parameter: str) -> None:
    error(japi("job.setStatus", **body), "invalid_input", parameter)
    assert _job(japi, OPEN)["status"] == "Open"


# -- job.updateCompensation -------------------------------------------------------------------------
def test_compensation_is_answered_stored_and_shown_on_the_postings(japi: Api) -> None:
    bonus = {"compensationType": "Bonus", "interval": "1 YEAR", "minValue": None, "maxValue": None}
    equity = {"compensationType": "EquityPercentage", "interval": "NONE", "minValue": 1, "maxValue": 2.511}
    tiers = [
        {
            **TIER,
            "title": "Zone A",
            "additionalInformation": "Commuter benefits",
            "components": [*TIER["components"], equity, bonus],
        },
        {"title": "Zone B", "components": [{**TIER["components"][0], "minValue": 95000, "maxValue": 270450}]},
    ]
    answer = results(japi("job.updateCompensation", jobId=OPEN, compensationTiers=tiers))
    (zone_a, zone_b) = answer["compensationTiers"]
    assert zone_a["tierSummary"] == "€72K – €100K • 1% – 2.511% • Offers Bonus • Commuter benefits"
    assert zone_b["tierSummary"] == "€95K – €270K" and zone_b["title"] == "Zone B"
    assert [c["summary"] for c in zone_a["components"]] == ["€72K – €100K", "1% – 2.511%", "Offers Bonus"]
    job = _job(japi, OPEN, expand=["compensation"])
    assert job["compensation"] == {"compensationTiers": answer["compensationTiers"]}
    assert {k: v for k, v in answer.items() if k != "compensationTiers"} == _job(japi, OPEN)
    posting = results(japi("jobPosting.info", jobPostingId=POSTING))["compensation"]
    assert posting["compensationTiers"] == answer["compensationTiers"]
    salary = next(c for c in posting["summaryComponents"] if c["compensationType"] == "Salary")
    assert (salary["minValue"], salary["maxValue"], salary["summary"]) == (72023.45, 270450, "€72K – €270K")


@pytest.mark.parametrize(
    ("tiers", "parameter"),
    [
        (None, "compensationTiers"),
        ([], "compensationTiers"),
        ([{"components": []}], "compensationTiers[0].components"),
        ([TIER, TIER], "compensationTiers[0].title"),
        (
            [{"components": [{"interval": "1 YEAR", "minValue": 1, "maxValue": 2}]}],
            "compensationTiers[0].components[0].compensationType",
        ),
        (
            [{"components": [{"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "EUR"}]}],
            "compensationTiers[0].components[0].minValue",
        ),
        (
            [{"components": [{**TIER["components"][0], "minValue": 9, "maxValue": 1}]}],
            "compensationTiers[0].components[0].minValue",
        ),
        (
            [{"components": [{**TIER["components"][0], "maxValue": "lots"}]}],
            "compensationTiers[0].components[0].maxValue",
        ),
        (
            [{"components": [{**TIER["components"][0], "currencyCode": "euro"}]}],
            "compensationTiers[0].components[0].currencyCode",
        ),
        (
            [{"components": [{**TIER["components"][0], "currencyCode": None}]}],
            "compensationTiers[0].components[0].currencyCode",
        ),
        (
            [{"components": [{**TIER["components"][0], "interval": "yearly"}]}],
            "compensationTiers[0].components[0].interval",
        ),
    ],
)
def test_compensation_refusals_write_nothing(japi: Api, tiers: Any, parameter: str) -> None:
    delta = JobDelta(japi)
    body = {"jobId": OPEN} if tiers is None else {"jobId": OPEN, "compensationTiers": tiers}
    error(japi("job.updateCompensation", **body), "invalid_input", parameter)
    assert delta.ids() == []
    error(japi("job.updateCompensation", jobId=UNKNOWN, compensationTiers=[TIER]), "job_not_found")


# -- jobPosting.update ------------------------------------------------------------------------------
def test_posting_update_sets_title_workplace_and_the_kept_html(
    japi: Api, jsb: SandboxHandle, receiver: Receiver
) -> None:
    jsb.control.advance_clock(5)
    html = '<h2 class="x">Role</h2><p>Do <b>things</b></p><script>alert(1)</script><ul><li>Ship</li></ul>'
    updated = results(
        japi(
            "jobPosting.update",
            jobPostingId=POSTING,
            title="Senior Engineer",
            workplaceType="Remote",
            description={"type": "text/html", "content": html},
        )
    )
    body = {"html": "<h2>Role</h2>Do <b>things</b><ul><li>Ship</li></ul>", "plain": "Role\nDo things\nShip"}
    assert (updated["title"], updated["workplaceType"], updated["isRemote"]) == (
        "Senior Engineer",
        "Remote",
        True,
    )
    assert updated["descriptionParts"]["descriptionBody"] == body
    assert updated["descriptionHtml"] == "<p>Hi</p>" + body["html"] + "<p>Bye</p>"
    assert updated["descriptionPlain"] == "Hi\n\n" + body["plain"] + "\n\nBye"
    assert updated["linkedData"] == {"title": "Senior Engineer", "description": updated["descriptionHtml"]}
    assert updated["updatedAt"] > "2025" and results(japi("jobPosting.info", jobPostingId=POSTING)) == updated
    (event,) = receiver.wait_for(1, "/jobPostingUpdate")
    assert event.json["data"]["jobPosting"]["title"] == "Senior Engineer"


def test_suppressing_the_opening_and_closing_hides_them_until_restored(japi: Api) -> None:
    hidden = results(
        japi(
            "jobPosting.update",
            jobPostingId=POSTING,
            suppressDescriptionOpening=True,
            suppressDescriptionClosing=True,
        )
    )
    parts = hidden["descriptionParts"]
    assert parts["descriptionOpening"] is parts["descriptionClosing"] is None
    assert hidden["descriptionHtml"] == "<p>Body</p>" and hidden["suppressDescriptionOpening"] is True
    shown = results(japi("jobPosting.update", jobPostingId=POSTING, suppressDescriptionOpening=False))
    assert shown["descriptionParts"]["descriptionOpening"] == _part("<p>Hi</p>", "Hi")
    assert shown["descriptionHtml"] == "<p>Hi</p><p>Body</p>"


def test_a_posting_update_that_changes_nothing_writes_nothing(japi: Api, jsb: SandboxHandle) -> None:
    before = results(japi("jobPosting.info", jobPostingId=POSTING))
    jsb.control.advance_clock(5)
    same = results(japi("jobPosting.update", jobPostingId=POSTING, title="Engineer", workplaceType="OnSite"))
    assert same == before


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"jobPostingId": None}, "invalid_input", "jobPostingId"),
        ({"jobPostingId": UNKNOWN}, "job_posting_not_found", None),
        ({"title": " "}, "invalid_input", "title"),
        ({"workplaceType": "Moon"}, "invalid_input", "workplaceType"),
        ({"suppressDescriptionOpening": "maybe"}, "invalid_input", "suppressDescriptionOpening"),
        ({"description": "<p>x</p>"}, "invalid_input", "description"),
        ({"description": {"type": "text/plain", "content": "x"}}, "invalid_input", "description.type"),
        ({"description": {"type": "text/html"}}, "invalid_input", "description.content"),
        (
            {"description": {"type": "text/html", "content": "<script>x</script>"}},
            "invalid_input",
            "description.content",
        ),
    ],
)
def test_posting_update_refusals(japi: Api, change: dict[str, Any], code: str, parameter: str | None) -> None:
    before = results(japi("jobPosting.info", jobPostingId=POSTING))
    body = {k: v for k, v in {"jobPostingId": POSTING, **change}.items() if v is not None}
    error(japi("jobPosting.update", **body), code, parameter)
    assert results(japi("jobPosting.info", jobPostingId=POSTING)) == before


# -- openings ---------------------------------------------------------------------------------------
def test_create_an_opening_a_draft_by_default(japi: Api, receiver: Receiver) -> None:
    delta = Delta(japi, "opening.list")
    created = results(japi("opening.create"))
    version = created["latestVersion"]
    assert (created["openingState"], created["isArchived"], created["openedAt"]) == ("Draft", False, None)
    assert (version["jobIds"], version["locationIds"], version["employmentType"]) == ([], [], "FullTime")
    assert version["authorId"] == IDS["admin"] and version["isBackfill"] is False
    assert _opening(japi, created["id"]) == created and delta.ids() == [created["id"]]
    (event,) = receiver.wait_for(1, "/openingCreate")
    assert event.json["data"]["opening"] == created


def test_create_an_open_opening_with_everything(japi: Api) -> None:
    created = results(
        japi(
            "opening.create",
            identifier="ENG-2",
            description="Backfill",
            teamId=DEPARTMENT,
            locationIds=[LOCATION, LOCATION.upper(), LOCATION2],
            jobIds=[OPEN],
            isBackfill=True,
            targetHireDate="2026-04-01",
            targetStartDate="2026-05-01",
            employmentType="",
            openingState="Open",
        )
    )
    version = created["latestVersion"]
    assert created["openingState"] == "Open" and created["openedAt"] == version["createdAt"]
    assert version["locationIds"] == [LOCATION, LOCATION2] and version["jobIds"] == [OPEN]
    assert (version["identifier"], version["targetStartDate"], version["employmentType"]) == (
        "ENG-2",
        "2026-05-01",
        "FullTime",
    )
    assert created["id"] in [o["id"] for o in _job(japi, OPEN, expand=["openings"])["openings"]]
    assert [o["id"] for o in results(japi("opening.search", identifier="ENG-2"))] == [created["id"]]


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        (
            {"openingState": "Open", "jobIds": [OPEN], "locationIds": [LOCATION]},
            "opening_state_invalid",
            None,
        ),
        ({"openingState": "Filled"}, "invalid_input", "openingState"),
        ({"jobIds": ["x"]}, "invalid_input", "jobIds[0]"),
        ({"jobIds": [UNKNOWN]}, "job_not_found", None),
        ({"locationIds": [OLD_LOCATION]}, "invalid_input", "locationIds[0]"),
        ({"teamId": UNKNOWN}, "department_not_found", None),
        ({"targetHireDate": "next spring"}, "invalid_input", "targetHireDate"),
        ({"targetStartDate": "2026-02-30"}, "invalid_input", "targetStartDate"),
        ({"employmentType": "Gig"}, "invalid_input", "employmentType"),
        ({"isBackfill": "perhaps"}, "invalid_input", "isBackfill"),
    ],
)
def test_create_opening_refusals_write_nothing(
    japi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = Delta(japi, "opening.list")
    error(japi("opening.create", **body), code, parameter)
    assert delta.ids() == []


def test_update_an_opening_edits_its_latest_version(japi: Api) -> None:
    before = _opening(japi, OPENING)
    delta = Delta(japi, "opening.list")
    updated = results(
        japi(
            "opening.update",
            openingId=OPENING,
            description="Two hires",
            targetStartDate="2026-06-01",
            employmentType="Contract",
        )
    )
    version = updated["latestVersion"]
    assert (version["description"], version["targetStartDate"], version["employmentType"]) == (
        "Two hires",
        "2026-06-01",
        "Contract",
    )
    assert (version["id"], version["createdAt"]) == (
        before["latestVersion"]["id"],
        before["latestVersion"]["createdAt"],
    )
    assert delta.ids() == [OPENING]
    assert results(japi("opening.update", openingId=OPENING, description="Two hires")) == updated
    assert delta.ids() == [OPENING]  # the repeat wrote nothing more


def test_jobs_and_locations_are_added_once_and_removed(japi: Api) -> None:
    added = results(japi("opening.addJob", openingId=OPENING, jobId=IDS["analyst_job"]))
    assert added["latestVersion"]["jobIds"] == [OPEN, IDS["analyst_job"]]
    assert results(japi("opening.addJob", openingId=OPENING, jobId=IDS["analyst_job"])) == added
    removed = results(japi("opening.removeJob", openingId=OPENING, jobId=IDS["analyst_job"]))
    assert removed["latestVersion"]["jobIds"] == [OPEN]
    located = results(japi("opening.addLocation", openingId=OPENING, locationId=LOCATION2))
    assert located["latestVersion"]["locationIds"] == [LOCATION, LOCATION2]
    unlocated = results(japi("opening.removeLocation", openingId=OPENING, locationId=LOCATION))
    assert unlocated["latestVersion"]["locationIds"] == [LOCATION2]
    assert results(japi("opening.removeLocation", openingId=OPENING, locationId=LOCATION)) == unlocated


def test_an_open_opening_keeps_a_job_and_a_location(japi: Api) -> None:
    message = error(japi("opening.removeJob", openingId=OPENING, jobId=OPEN), "opening_state_invalid")
    assert "a job (jobIds)" in message
    error(japi("opening.removeLocation", openingId=OPENING, locationId=LOCATION), "opening_state_invalid")
    draft = results(japi("opening.removeJob", openingId=DRAFT_OPENING, jobId=OPEN))  # a Draft may lack one
    assert draft["latestVersion"]["jobIds"] == []
    error(
        japi("opening.addLocation", openingId=OPENING, locationId=OLD_LOCATION), "invalid_input", "locationId"
    )
    error(japi("opening.addJob", openingId=OPENING, jobId=UNKNOWN), "job_not_found")
    error(japi("opening.addJob", openingId=UNKNOWN, jobId=OPEN), "opening_not_found")
    assert _opening(japi, OPENING)["latestVersion"]["jobIds"] == [OPEN]


def test_states_stamp_open_and_close_and_closing_needs_a_reason(japi: Api) -> None:
    error(
        japi("opening.setOpeningState", openingId=OPENING, openingState="Closed"),
        "invalid_input",
        "closeReasonId",
    )
    error(
        japi("opening.setOpeningState", openingId=OPENING, openingState="Open", closeReasonId=REASON),
        "invalid_input",
        "closeReasonId",
    )
    error(
        japi("opening.setOpeningState", openingId=OPENING, openingState="Closed", closeReasonId=OLD_REASON),
        "invalid_input",
        "closeReasonId",
    )
    error(
        japi("opening.setOpeningState", openingId=OPENING, openingState="Closed", closeReasonId=UNKNOWN),
        "close_reason_not_found",
    )
    opened_at = _opening(japi, OPENING)["openedAt"]
    closed = results(
        japi("opening.setOpeningState", openingId=OPENING, openingState="Closed", closeReasonId=REASON)
    )
    assert (closed["openingState"], closed["closeReasonId"], closed["openedAt"]) == (
        "Closed",
        REASON,
        opened_at,
    )
    assert closed["closedAt"] is not None
    reopened = results(japi("opening.setOpeningState", openingId=OPENING, openingState="Open"))
    assert (reopened["closedAt"], reopened["closeReasonId"], reopened["openedAt"]) == (None, None, opened_at)
    error(
        japi("opening.setOpeningState", openingId=DRAFT_OPENING, openingState="Approved"),
        "opening_state_invalid",
    )


def test_archiving_an_opening_freezes_it_until_unarchived(japi: Api) -> None:
    delta = Delta(japi, "opening.list")
    archived = results(japi("opening.setArchived", openingId=OPENING, archive=True))
    assert archived["isArchived"] is True and archived["archivedAt"] is not None
    assert results(japi("opening.setArchived", openingId=OPENING, archive="true")) == archived
    assert delta.ids() == [OPENING]
    for endpoint, extra in (
        ("opening.update", {"description": "x"}),
        ("opening.addJob", {"jobId": CLOSED}),
        ("opening.setOpeningState", {"openingState": "Draft"}),
    ):
        error(japi(endpoint, openingId=OPENING, **extra), "opening_archived")
    restored = results(japi("opening.setArchived", openingId=OPENING, archive=False))
    assert restored["isArchived"] is False and restored["archivedAt"] is None
    error(japi("opening.setArchived", openingId=OPENING), "invalid_input", "archive")


# -- permissions ------------------------------------------------------------------------------------
JOB_WRITES = [
    "job.create",
    "job.update",
    "job.setStatus",
    "job.updateCompensation",
    "jobPosting.update",
    *(
        f"opening.{verb}"
        for verb in (
            "create",
            "update",
            "addJob",
            "removeJob",
            "addLocation",
            "removeLocation",
            "setOpeningState",
            "setArchived",
        )
    ),
]


@pytest.mark.parametrize("key", ["jobs-read", "cand-write"])
@pytest.mark.parametrize("endpoint", JOB_WRITES)
def test_a_key_without_jobs_write_gets_the_permission_error(
    jsb: SandboxHandle, client_for: Any, endpoint: str, key: str
) -> None:
    before = {table: jsb.control.records(table) for table in ("job", "opening", "jobPosting")}
    body = {
        "jobId": OPEN,
        "openingId": OPENING,
        "jobPostingId": POSTING,
        "title": "X",
        "status": "Closed",
        "teamId": DEPARTMENT,
        "locationId": LOCATION,
        "archive": True,
        "openingState": "Draft",
    }
    response = client_for(jsb, key).raw(endpoint, body)
    assert response.status_code == 403
    error(response.json(), "missing_endpoint_permission")
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": "jobsWrite"}
    assert {table: jsb.control.records(table) for table in before} == before
