"""The sandbox data generator: determinism, wire shapes, referential integrity, consistency, scale."""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from ashby_agent.sandbox.generate import DEFAULT_NOW_MS, SCALES, TABLES, generate

Data = dict[str, list[dict[str, Any]]]

#: A "handle" key with its string value, in JSON text.
HANDLE_RE = re.compile(rb'"handle":"([^"\\]*)"')
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOW_ISO = "2026-11-01T12:00:00.000Z"
TWO_YEARS_AGO = "2024-11-01T12:00:00.000Z"


def keys(text: str) -> set[str]:
    return set(text.split())


# Keys every record of a table carries (present, possibly null).
REQUIRED: dict[str, set[str]] = {
    "candidate": keys(
        "id createdAt updatedAt name emailAddresses phoneNumbers socialLinks tags applicationIds fileHandles "
        "customFields profileUrl source creditedToUser timezone fraudStatus"
    ),
    "application": keys(
        "id createdAt updatedAt status candidate currentInterviewStage job hiringTeam customFields source "
        "archiveReason creditedToUser submitterClientIp submitterUserAgent"
    ),
    "applicationHistory": keys(
        "id stageId title stageNumber enteredStageAt allowedActions actorId _applicationId"
    ),
    "applicationFeedback": keys(
        "id applicationId formDefinition submittedValues submittedByUser submittedAt feedbackFormDefinitionId"
    ),
    "job": keys(
        "id title confidential status employmentType locationId departmentId defaultInterviewPlanId "
        "interviewPlanIds jobPostingIds customFields hiringTeam customRequisitionId brandId author createdAt "
        "updatedAt openedAt closedAt"
    ),
    "jobPosting": keys(
        "id title jobId departmentName teamName locationName locationExternalName locationIds workplaceType "
        "employmentType isListed publishedDate applicationDeadline externalLink applyLink "
        "compensationTierSummary shouldDisplayCompensationOnJobBoard updatedAt descriptionPlain "
        "descriptionHtml descriptionSocial descriptionParts teamNameHierarchy linkedData address isRemote "
        "applicationFormDefinition surveyFormDefinitions suppressDescriptionOpening "
        "suppressDescriptionClosing compensation applicationLimitCalloutHtml _jobBoardIds _isPublished"
    ),
    "jobBoard": keys("id title isInternal"),
    "jobTemplate": keys("id title isArchived departmentId locationId employmentType createdAt updatedAt"),
    "jobInterviewPlan": keys("jobId interviewPlanId stages"),
    "opening": keys("id openedAt closedAt isArchived archivedAt closeReasonId openingState latestVersion"),
    "department": keys("id name externalName isArchived parentId createdAt updatedAt extraData"),
    "location": keys(
        "id name externalName isArchived address isRemote workplaceType parentLocationId type extraData"
    ),
    "user": keys("id firstName lastName email globalRole isEnabled updatedAt"),
    "brand": keys("id name hostedJobsPageSlug"),
    "hiringTeamRole": keys("id title"),
    "source": keys("id title isArchived sourceType"),
    "archiveReason": keys("id text reasonType isArchived"),
    "closeReason": keys("id reasonText isArchived"),
    "candidateTag": keys("id title isArchived"),
    "customField": keys("id title objectType fieldType isArchived isRequired"),
    "feedbackFormDefinition": keys("id organizationId title isArchived isDefaultForm formDefinition"),
    "interviewerPool": keys("id title isArchived qualifiedMembers trainees createdAt updatedAt"),
    "communicationTemplate": keys("id title isArchived"),
    "interviewPlan": keys("id title isArchived createdAt updatedAt"),
    "interviewStage": keys("id title type orderInInterviewPlan interviewStageGroupId interviewPlanId"),
    "interviewStageGroup": keys("id title order stageType"),
    "interview": keys(
        "id title externalTitle isArchived isDebrief isFeedbackRequired isFeedbackRequested instructionsHtml "
        "instructionsPlain feedbackFormDefinitionId"
    ),
    "interviewSchedule": keys(
        "id status applicationId interviewStageId scheduledBy createdAt updatedAt interviewEvents"
    ),
    "offer": keys("id applicationId acceptanceStatus offerStatus decidedAt latestVersion versions"),
    "project": keys("id title description isArchived confidential authorId createdAt customFieldEntries"),
    "note": keys("id createdAt isPrivate content author _candidateId"),
    "candidateProject": keys("_candidateId _projectId"),
    "clientInfo": keys("id ipAddress userAgent relatedEntityType relatedEntityId candidateId createdAt"),
    "fileHandle": keys("handle url"),
    "webhook": keys("id enabled requestUrl secretToken webhookType"),
    "fraudCheck": keys("id candidateId status checkType createdAt"),
    "criteriaEvaluation": keys("id applicationId criterion outcome reasoning createdAt"),
    "interviewerSettings": keys("userId isInterviewer maxInterviewsPerDay maxInterviewsPerWeek"),
    "interviewerPause": keys("id userId startDate endDate reason"),
    "sourceTrackingLink": keys("id sourceId code link isArchived"),
    "referralForm": keys("id title isArchived formDefinition"),
}

# Keys that are omitted when empty, never sent as null.
OMITTED_WHEN_EMPTY = {
    "candidate": [
        "primaryEmailAddress",
        "primaryPhoneNumber",
        "position",
        "company",
        "school",
        "resumeFileHandle",
        "location",
    ],
    "application": ["archivedAt", "appliedViaJobPostingId"],
    "interview": ["jobId"],
    "user": ["managerId"],
}

NOT_UUIDS = {"customRequisitionId", "interviewerCalendarEventId"}


@pytest.fixture(scope="module")
def small() -> Data:
    return generate(seed=7, scale="small")


@pytest.fixture(scope="module")
def medium() -> Data:
    return generate(seed=11, scale="medium")


def by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in rows}


def walk_values(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, scalar) pair nested anywhere in ``value`` (a list's items under the list's key), in
    no particular order. A stack, not recursive generators: the large scale has ~30M values."""
    stack = [(key, value)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.items())
        elif isinstance(value, list):
            stack.extend((key, item) for item in value)
        else:
            yield key, value


# --- determinism ---------------------------------------------------------------------------------


def digest(data: Data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=False).encode()).hexdigest()


def test_same_seed_gives_identical_bytes(small: Data) -> None:
    assert digest(generate(seed=7, scale="small")) == digest(small)


def test_same_seed_gives_identical_bytes_in_another_process(small: Data) -> None:
    code = (
        "import hashlib, json; from ashby_agent.sandbox.generate import generate; "
        "print(hashlib.sha256(json.dumps(generate(seed=7, scale='small')).encode()).hexdigest())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert out.stdout.strip() == digest(small)


def test_different_seed_or_clock_differs(small: Data) -> None:
    other = generate(seed=8, scale="small")
    assert digest(other) != digest(small)
    assert {c["id"] for c in other["candidate"]}.isdisjoint(c["id"] for c in small["candidate"])
    later = generate(seed=7, scale="small", now_ms=DEFAULT_NOW_MS + 86_400_000)
    assert later["candidate"][0]["createdAt"] != small["candidate"][0]["createdAt"]


def test_default_clock_is_fixed() -> None:
    assert datetime.fromtimestamp(DEFAULT_NOW_MS / 1000, tz=UTC) == datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_unknown_scale_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="small, medium, large"):
        generate(scale="huge")


# --- shapes ----------------------------------------------------------------------------------------


def test_every_table_is_present_and_seeded(small: Data) -> None:
    assert list(small) == list(TABLES)
    assert set(REQUIRED) == set(TABLES)
    for name, rows in small.items():
        assert rows, f"{name} is empty"
    spec = SCALES["small"]
    assert len(small["candidate"]) == spec.candidates > 100
    assert (len(small["job"]), len(small["user"]), len(small["project"])) == (
        spec.jobs,
        spec.users,
        spec.projects,
    )
    assert len(small["application"]) > spec.candidates


def test_collector_is_running_again_afterwards(small: Data) -> None:
    assert gc.isenabled()


def test_required_keys_and_omitted_vs_null(small: Data) -> None:
    for name, rows in small.items():
        for row in rows:
            missing = REQUIRED[name] - row.keys()
            assert not missing, f"{name} {row.get('id')} lacks {missing}"
            for key in OMITTED_WHEN_EMPTY.get(name, ()):
                assert row.get(key, "absent") is not None, f"{name}.{key} is null instead of omitted"
    for name in ("candidate", "application", "interview", "user"):
        for key in OMITTED_WHEN_EMPTY[name]:
            present = sum(key in row for row in small[name])
            assert 0 < present < len(small[name]) or key == "archivedAt", f"{name}.{key} never varies"


def test_ids_timestamps_and_dates_are_wire_formatted(small: Data) -> None:
    for name, rows in small.items():
        for row in rows:
            if "id" in row:
                assert UUID_RE.match(row["id"]), (name, row["id"])
            for key, value in walk_values(row):
                if value is None or not isinstance(value, str):
                    continue
                if key.endswith("At") or key in ("startTime", "endTime"):
                    assert ISO_RE.match(value), (name, key, value)
                elif key.endswith("Date") or key == "datePosted":
                    assert DATE_RE.match(value), (name, key, value)
                elif key.endswith(("id", "Id", "Ids")) and key not in NOT_UUIDS:
                    assert UUID_RE.match(value), (name, key, value)


def test_records_are_json_and_sorted_by_created_at(small: Data) -> None:
    json.dumps(small)
    for name, rows in small.items():
        if rows and "createdAt" in rows[0]:
            keys = [(r["createdAt"], r["id"]) for r in rows]
            assert keys == sorted(keys), name
            assert len({r["id"] for r in rows}) == len(rows)


def test_timestamps_fall_in_the_two_years_before_now(small: Data) -> None:
    for name, rows in small.items():
        for row in rows:
            created, updated = row.get("createdAt"), row.get("updatedAt")
            if created is not None:
                assert TWO_YEARS_AGO <= created <= NOW_ISO, (name, created)
            if updated is not None:
                assert updated <= NOW_ISO, (name, updated)
                if created is not None:
                    assert created <= updated, (name, row["id"])


# --- consistency ---------------------------------------------------------------------------------


def check_integrity(data: Data) -> None:
    """Every id referenced anywhere exists, and statuses agree with stages, dates and each other."""
    ids = {name: by_id(rows) for name, rows in data.items() if rows and "id" in rows[0]}
    stages, jobs, apps, candidates = ids["interviewStage"], ids["job"], ids["application"], ids["candidate"]
    users, plans = ids["user"], ids["interviewPlan"]
    plan_of_job = {p["jobId"]: p for p in data["jobInterviewPlan"]}
    history: dict[str, list[dict[str, Any]]] = {}
    for row in data["applicationHistory"]:
        history.setdefault(row["_applicationId"], []).append(row)
    assert set(history) == set(apps)

    for dept in data["department"]:
        assert dept["parentId"] is None or dept["parentId"] in ids["department"]
    for loc in data["location"]:
        assert (
            loc["parentLocationId"] is None
            or ids["location"][loc["parentLocationId"]]["type"] == "LocationHierarchy"
        )
    for user in data["user"]:
        assert user.get("managerId", user["id"]) in users
    for stage in data["interviewStage"]:
        assert stage["interviewPlanId"] in plans
        assert stage["interviewStageGroupId"] in ids["interviewStageGroup"]
    for interview in data["interview"]:
        assert interview["feedbackFormDefinitionId"] in ids["feedbackFormDefinition"]
        assert "jobId" not in interview or interview["jobId"] in jobs

    stages_of_plan: dict[str, list[str]] = {}
    for stage in data["interviewStage"]:
        stages_of_plan.setdefault(stage["interviewPlanId"], []).append(stage["id"])
    for job in data["job"]:
        assert job["locationId"] in ids["location"] and job["departmentId"] in ids["department"]
        assert job["defaultInterviewPlanId"] in job["interviewPlanIds"]
        assert all(p in plans for p in job["interviewPlanIds"]) and job["brandId"] in ids["brand"]
        assert all(ids["jobPosting"][p]["jobId"] == job["id"] for p in job["jobPostingIds"])
        assert all(m["userId"] in users for m in job["hiringTeam"]) and job["author"]["id"] in users
        opened, closed = job["openedAt"], job["closedAt"]
        expected = {
            "Draft": (False, False),
            "Open": (True, False),
            "Closed": (True, True),
            "Archived": (True, True),
        }
        assert (opened is not None, closed is not None) == expected[job["status"]], job
        plan = plan_of_job[job["id"]]
        assert plan["interviewPlanId"] == job["defaultInterviewPlanId"]
        assert [s["id"] for s in plan["stages"]] == stages_of_plan.get(plan["interviewPlanId"], [])
        for stage in plan["stages"]:
            for activity in stage["activities"]:
                assert all(i["interviewId"] in ids["interview"] for i in activity["interviews"])
    for posting in data["jobPosting"]:
        job = jobs[posting["jobId"]]
        assert posting["_isPublished"] == (job["status"] == "Open")
        assert all(b in ids["jobBoard"] for b in posting["_jobBoardIds"])
        assert posting["locationIds"]["primaryLocationId"] == job["locationId"]
    for opening in data["opening"]:
        version = opening["latestVersion"]
        assert all(j in jobs for j in version["jobIds"]) and version["teamId"] in ids["department"]
        assert opening["closeReasonId"] is None or opening["closeReasonId"] in ids["closeReason"]

    for cand in data["candidate"]:
        assert all(apps[a]["candidate"]["id"] == cand["id"] for a in cand["applicationIds"])
        assert all(t["id"] in ids["candidateTag"] for t in cand["tags"])
        assert cand["source"] is None or cand["source"]["id"] in ids["source"]
        assert cand["creditedToUser"] is None or cand["creditedToUser"]["id"] in users
        for app_id in cand["applicationIds"]:
            assert cand["createdAt"] <= apps[app_id]["createdAt"]
    app_owner = {a: c["id"] for c in data["candidate"] for a in c["applicationIds"]}
    assert set(app_owner) == set(apps)

    for app in data["application"]:
        assert app_owner[app["id"]] == app["candidate"]["id"]
        job = jobs[app["job"]["id"]]
        assert app["job"] == {k: job[k] for k in ("id", "title", "locationId", "departmentId", "brandId")}
        stage = app["currentInterviewStage"]
        assert stages[stage["id"]] == stage and stage["interviewPlanId"] in job["interviewPlanIds"]
        kind = stage["type"]
        assert app["status"] == {"Archived": "Archived", "Hired": "Hired", "Lead": "Lead"}.get(kind, "Active")
        archived = app["status"] == "Archived"
        assert ("archivedAt" in app) == archived == (app["archiveReason"] is not None)
        if archived:
            assert (
                app["archiveReason"]["id"] in ids["archiveReason"] and app["archivedAt"] == app["updatedAt"]
            )
        assert app["source"] is None or app["source"]["id"] in ids["source"]
        assert app.get(
            "appliedViaJobPostingId", job["jobPostingIds"][0] if job["jobPostingIds"] else None
        ) in (job["jobPostingIds"] + [None])
        rows = history[app["id"]]
        assert [r["stageNumber"] for r in rows] == list(range(len(rows)))
        assert rows[0]["enteredStageAt"] == app["createdAt"] and rows[-1]["stageId"] == stage["id"]
        assert "leftStageAt" not in rows[-1]
        for before, after in itertools.pairwise(rows):
            assert before["enteredStageAt"] < after["enteredStageAt"] == before["leftStageAt"]
        assert all(stages[r["stageId"]]["interviewPlanId"] == stage["interviewPlanId"] for r in rows)
        assert rows[-1]["enteredStageAt"] == app["updatedAt"]

    history_ids = {r["id"]: r for r in data["applicationHistory"]}
    for schedule in data["interviewSchedule"]:
        app = apps[schedule["applicationId"]]
        assert (
            stages[schedule["interviewStageId"]]["interviewPlanId"]
            == app["currentInterviewStage"]["interviewPlanId"]
        )
        assert schedule["interviewStageId"] in {r["stageId"] for r in history[app["id"]]}
        for event in schedule["interviewEvents"]:
            assert event["interviewScheduleId"] == schedule["id"] and event["interviewId"] in ids["interview"]
            assert event["interviewerUserIds"] == [u["id"] for u in event["interviewers"]]
            assert all(u in users for u in event["interviewerUserIds"])
            assert (
                event["startTime"] < event["endTime"] and event["createdAt"] <= event["updatedAt"] <= NOW_ISO
            )
    events = {e["id"]: e for s in data["interviewSchedule"] for e in s["interviewEvents"]}
    for fb in data["applicationFeedback"]:
        event = events[fb["interviewEventId"]]
        assert fb["applicationId"] in apps and fb["interviewId"] == event["interviewId"]
        assert history_ids[fb["applicationHistoryId"]]["_applicationId"] == fb["applicationId"]
        assert fb["feedbackFormDefinitionId"] in ids["feedbackFormDefinition"]
        assert fb["submittedByUser"]["id"] in event["interviewerUserIds"] and event["hasSubmittedFeedback"]
        assert event["endTime"] <= fb["submittedAt"] <= NOW_ISO
        paths = {f["field"]["path"] for s in fb["formDefinition"]["sections"] for f in s["fields"]}
        assert set(fb["submittedValues"]) <= paths

    reached_offer = {
        r["_applicationId"] for r in data["applicationHistory"] if stages[r["stageId"]]["type"] == "Offer"
    }
    offers = {o["applicationId"]: o for o in data["offer"]}
    assert set(offers) == reached_offer
    for app_id, offer in offers.items():
        status = apps[app_id]["status"]
        assert offer["latestVersion"] == offer["versions"][-1]
        assert (offer["acceptanceStatus"] == "Accepted") == (status == "Hired")
        assert (offer["decidedAt"] is None) == (status == "Active")
        for version in offer["versions"]:
            assert version["openingId"] in ids["opening"] and version["author"]["id"] in users

    for note in data["note"]:
        assert note["_candidateId"] in candidates and note["author"]["id"] in users
    for link in data["candidateProject"]:
        assert link["_candidateId"] in candidates and link["_projectId"] in ids["project"]
    for row in data["clientInfo"]:
        assert apps[row["relatedEntityId"]]["candidate"]["id"] == row["candidateId"]
    for row in data["fraudCheck"]:
        assert candidates[row["candidateId"]]["fraudStatus"] is not None
    for row in data["criteriaEvaluation"]:
        assert row["applicationId"] in apps
    for row in data["interviewerSettings"] + data["interviewerPause"]:
        assert row["userId"] in users
    for row in data["sourceTrackingLink"]:
        assert row["sourceId"] in ids["source"]
    for pool in data["interviewerPool"]:
        assert all(u["id"] in users for u in pool["qualifiedMembers"] + pool["trainees"])
    handles = {row["handle"] for row in data["fileHandle"]}
    # Every "handle" key anywhere in candidates and offers, found in their JSON text (~30M values at
    # the large scale: walking them in Python took most of this check).
    referenced = HANDLE_RE.findall(orjson.dumps(data["candidate"] + data["offer"]))
    assert {h.decode() for h in referenced} == handles and len(handles) == len(data["fileHandle"])


def test_referential_integrity_and_consistency_small(small: Data) -> None:
    check_integrity(small)


def test_medium_scale_counts_and_integrity(medium: Data) -> None:
    assert len(medium["candidate"]) == SCALES["medium"].candidates
    assert len(medium["application"]) > 15_000
    check_integrity(medium)


def test_every_status_and_stage_type_is_seeded(small: Data) -> None:
    assert {a["status"] for a in small["application"]} == {"Active", "Archived", "Hired", "Lead"}
    current = {a["currentInterviewStage"]["type"] for a in small["application"]}
    assert current == {"Lead", "PreInterviewScreen", "Active", "Offer", "Hired", "Archived"}
    assert {j["status"] for j in small["job"]} == {"Draft", "Open", "Closed", "Archived"}
    published = [p for p in small["jobPosting"] if p["_isPublished"]]
    assert {p["isListed"] for p in published} == {True, False}
    assert {s["status"] for s in small["interviewSchedule"]} >= {"Complete", "Scheduled", "WaitingOnFeedback"}
    assert {o["acceptanceStatus"] for o in small["offer"]} >= {"Accepted", "Declined"}
    assert any(i.get("jobId") for i in small["interview"]) and any(
        "jobId" not in i for i in small["interview"]
    )
    assert [b["isInternal"] for b in small["jobBoard"]] == [False, True]


def test_archived_and_nested_metadata_exist(small: Data) -> None:
    archivable = (
        "department location source archiveReason closeReason candidateTag customField "
        "feedbackFormDefinition interviewerPool communicationTemplate"
    )
    for name in archivable.split():
        assert {r["isArchived"] for r in small[name]} == {True, False}, name
    assert any(d["parentId"] for d in small["department"])
    assert {loc["type"] for loc in small["location"]} == {"Location", "LocationHierarchy"}
    assert {u["isEnabled"] for u in small["user"]} == {True, False}
    assert len({u["globalRole"] for u in small["user"]}) >= 3


def test_first_candidates_have_notes_and_projects(small: Data) -> None:
    first = [c["id"] for c in small["candidate"][:5]]
    noted = {n["_candidateId"] for n in small["note"]}
    projected = {link["_candidateId"] for link in small["candidateProject"]}
    assert set(first) <= noted and set(first[:4]) <= projected
    assert {n["isPrivate"] for n in small["note"]} == {True, False}
    assert len(small["candidate"]) > 100


def test_candidate_contact_details_look_real(small: Data) -> None:
    emails = [e["value"] for c in small["candidate"] for e in c["emailAddresses"]]
    assert len(emails) == len(set(emails))
    kinds = Counter(link["type"] for c in small["candidate"] for link in c["socialLinks"])
    assert kinds["LinkedIn"] > kinds["GitHub"] > 0
    for cand in small["candidate"]:
        if "primaryEmailAddress" in cand:
            assert (
                cand["primaryEmailAddress"] == cand["emailAddresses"][0]
                and cand["emailAddresses"][0]["isPrimary"]
            )
        assert cand["profileUrl"].endswith(cand["id"])
        assert ("location" in cand) == (cand["timezone"] is not None)


@pytest.mark.slow
def test_large_scale_is_big() -> None:
    """Size and integrity only: start-up time is measured by bench/sandbox_walk.py, never asserted."""
    data = generate(seed=7, scale="large")
    assert len(data["candidate"]) >= 100_000
    assert len(data["application"]) >= 150_000
    check_integrity(data)
