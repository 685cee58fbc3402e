"""Tag and custom field writes over real HTTP: tags created once and archived, custom field definitions
and their options, values checked by type and stored on applications, candidates, jobs and openings,
each change seen in the sync delta, each refusal with its Ashby error code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory, _uid
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.endpoints.test_organization_writes import OPENING
from tests.sandbox.endpoints.test_organization_writes import dataset as organization_dataset
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import run_receiver
from tests.sandbox.write_dataset import IDS, UNKNOWN

TAG, OLD_TAG = IDS["tag"], IDS["archived_tag"]
CANDIDATE, APPLICATION, JOB = IDS["lonely"], IDS["active_app"], IDS["open_job"]
KEYS = [
    "full-key",
    "meta-only:hiringProcessMetadata:write,hiringProcessMetadata:read",
    "cand:candidates:write",
]
#: (objectType, title, fieldType, options, archived) of the seeded definitions; ids _uid(n, 62).
FIELDS = [
    ("Candidate", "Notice period", "Number", (), False),
    ("Candidate", "Team", "ValueSelect", ("platform", "data"), False),
    ("Application", "Skills", "MultiValueSelect", ("py", "go", "sql"), False),
    ("Job", "Budget", "Currency", (), False),
    ("Opening", "Start", "Date", (), False),
    ("Candidate", "Retired", "String", (), True),
]
NOTICE, TEAM, SKILLS, BUDGET, START, RETIRED = (_uid(n, 62) for n in range(len(FIELDS)))


def dataset() -> dict[str, list[dict[str, Any]]]:
    data = organization_dataset()
    data["customField"] = [
        {
            "id": _uid(n, 62),
            "title": title,
            "objectType": kind,
            "fieldType": field_type,
            "isArchived": archived,
            "isRequired": False,
            "isPrivate": n == 0,
            **(
                {
                    "selectableValues": [
                        {"label": o.title(), "value": o, "isArchived": o == "sql"} for o in options
                    ]
                }
                if options
                else {}
            ),
        }
        for n, (kind, title, field_type, options, archived) in enumerate(FIELDS)
    ]
    return data


@pytest.fixture
def msb(fresh: SandboxFactory) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=dataset()) as sb:
        yield sb


@pytest.fixture
def mapi(msb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(msb)
    return client


# -- tags -------------------------------------------------------------------------------------------
def test_create_a_tag_once_then_answer_it_again(mapi: Api) -> None:
    delta = Delta(mapi, "candidateTag.list")
    created = results(mapi("candidateTag.create", title=" Remote OK "))
    assert set(created) == {"id", "title", "isArchived"}
    assert (created["title"], created["isArchived"]) == ("Remote OK", False)
    assert delta.ids() == [created["id"]]
    again = Delta(mapi, "candidateTag.list")
    assert results(mapi("candidateTag.create", title="remote ok")) == created
    assert results(mapi("candidateTag.create", title="Python"))["id"] == TAG
    assert again.ids() == []
    error(mapi("candidateTag.create", title="  "), "invalid_input", "title")
    error(mapi("candidateTag.create"), "invalid_input", "title")


def test_archive_a_tag_once(mapi: Api) -> None:
    delta = Delta(mapi, "candidateTag.list")
    archived = results(mapi("candidateTag.archive", tagId=TAG))
    assert archived == {"id": TAG, "title": "Python", "isArchived": True}
    assert TAG not in [t["id"] for t in mapi.walk("candidateTag.list")[0]]
    assert delta.ids() == [TAG]
    again = Delta(mapi, "candidateTag.list")
    assert results(mapi("candidateTag.archive", tagId=TAG)) == archived
    assert again.ids() == []
    error(mapi("candidateTag.archive", tagId=UNKNOWN), "candidate_tag_not_found")
    error(mapi("candidateTag.archive", tagId="x"), "invalid_input", "tagId")


# -- definitions ------------------------------------------------------------------------------------
def test_create_custom_fields(mapi: Api) -> None:
    delta = Delta(mapi, "customField.list")
    plain = results(
        mapi(
            "customField.create",
            fieldType="Date",
            objectType="Opening_Version",
            title="Kickoff",
            isDateOnlyField=True,
            description="When work starts",
        )
    )
    assert plain == {
        "id": plain["id"],
        "title": "Kickoff",
        "objectType": "Opening",
        "fieldType": "Date",
        "isArchived": False,
        "isRequired": False,
        "isPrivate": False,
        "isDateOnlyField": True,
        "description": "When work starts",
        "isExposableToCandidate": False,
    }
    select = results(
        mapi(
            "customField.create",
            fieldType="ValueSelect",
            objectType="Candidate",
            title="Level",
            selectableValues=[{"label": "Senior", "value": "sr"}],
            isExposableToCandidate=True,
        )
    )
    assert select["selectableValues"] == [{"label": "Senior", "value": "sr", "isArchived": False}]
    assert results(mapi("customField.info", customFieldId=select["id"])) == select
    assert delta.ids() == [plain["id"], select["id"]]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"objectType": "Candidate", "title": "X"}, "fieldType"),
        ({"fieldType": "Emoji", "objectType": "Candidate", "title": "X"}, "fieldType"),
        ({"fieldType": "String", "objectType": "Offer", "title": "X"}, "objectType"),
        ({"fieldType": "String", "objectType": "Candidate", "title": " "}, "title"),
        ({"fieldType": "ValueSelect", "objectType": "Candidate", "title": "X"}, "selectableValues"),
        (
            {"fieldType": "ValueSelect", "objectType": "Candidate", "title": "X", "selectableValues": []},
            "selectableValues",
        ),
        (
            {
                "fieldType": "String",
                "objectType": "Candidate",
                "title": "X",
                "selectableValues": [{"label": "a", "value": "a"}],
            },
            "selectableValues",
        ),
        (
            {
                "fieldType": "MultiValueSelect",
                "objectType": "Job",
                "title": "X",
                "selectableValues": [{"label": "a"}],
            },
            "selectableValues[0].value",
        ),
        (
            {
                "fieldType": "MultiValueSelect",
                "objectType": "Job",
                "title": "X",
                "selectableValues": [{"label": "a", "value": "a"}, {"label": "b", "value": "a"}],
            },
            "selectableValues[1].value",
        ),
        (
            {"fieldType": "String", "objectType": "Candidate", "title": "X", "isDateOnlyField": True},
            "isDateOnlyField",
        ),
    ],
)
def test_custom_field_create_refusals_write_nothing(mapi: Api, body: dict[str, Any], parameter: str) -> None:
    delta = Delta(mapi, "customField.list")
    error(mapi("customField.create", **body), "invalid_input", parameter)
    assert delta.ids() == []


def test_update_selectable_values_merges_by_value(mapi: Api) -> None:
    delta = Delta(mapi, "customField.list")
    merged = results(
        mapi(
            "customField.updateSelectableValues",
            customFieldId=SKILLS,
            selectableValues=[
                {"label": "SQL", "value": "sql"},
                {"label": "Rust", "value": "rs"},
                {"label": "Python 3", "value": "py", "isArchived": False},
            ],
        )
    )
    assert merged["selectableValues"] == [
        {"label": "Python 3", "value": "py", "isArchived": False},
        {"label": "Go", "value": "go", "isArchived": True},  # left out: archived
        {"label": "SQL", "value": "sql", "isArchived": False},  # given: active again
        {"label": "Rust", "value": "rs", "isArchived": False},  # new: last
    ]
    assert delta.ids() == [SKILLS]
    again = Delta(mapi, "customField.list")
    body = [
        {k: v for k, v in o.items() if k != "isArchived"}
        for o in merged["selectableValues"]
        if o["value"] != "go"
    ]
    assert (
        results(mapi("customField.updateSelectableValues", customFieldId=SKILLS, selectableValues=body))
        == merged
    )
    assert again.ids() == []
    error(
        mapi("customField.updateSelectableValues", customFieldId=NOTICE, selectableValues=[]),
        "invalid_input",
        "customFieldId",
    )
    error(
        mapi("customField.updateSelectableValues", customFieldId=UNKNOWN, selectableValues=[]),
        "custom_field_not_found",
    )
    error(
        mapi(
            "customField.updateSelectableValues",
            customFieldId=SKILLS,
            selectableValues=[{"label": "a", "value": "a", "x": 1}],
        ),
        "invalid_input",
        "selectableValues[0].x",
    )
    error(
        mapi(
            "customField.updateSelectableValues",
            customFieldId=SKILLS,
            selectableValues=[{"label": "a", "value": "a"}, {"label": "b", "value": "a"}],
        ),
        "invalid_input",
        "selectableValues[1].value",
    )
    error(
        mapi("customField.updateSelectableValues", customFieldId=SKILLS), "invalid_input", "selectableValues"
    )


# -- values -----------------------------------------------------------------------------------------
def _values(sb: SandboxHandle, table: str, row_id: str) -> list[dict[str, Any]]:
    record = sb.control.get(table, row_id)
    found: list[dict[str, Any]] = (record.get("latestVersion") or record)["customFields"]
    return found


def test_set_value_on_each_kind_of_record(mapi: Api, msb: SandboxHandle) -> None:
    candidates, applications = Delta(mapi, "candidate.list"), Delta(mapi, "application.list")
    jobs, openings = Delta(mapi, "job.list"), Delta(mapi, "opening.list")
    notice = results(
        mapi(
            "customField.setValue", objectId=CANDIDATE, objectType="Candidate", fieldId=NOTICE, fieldValue=30
        )
    )
    assert notice == {"id": NOTICE, "title": "Notice period", "value": 30, "isPrivate": True}
    team = results(
        mapi(
            "customField.setValue",
            objectId=CANDIDATE,
            objectType="Candidate",
            fieldId=TEAM,
            fieldValue="data",
        )
    )
    assert team["valueLabel"] == "Data"
    assert results(mapi("candidate.info", id=CANDIDATE))["customFields"] == [notice, team]
    skills = results(
        mapi(
            "customField.setValue",
            objectId=APPLICATION,
            objectType="Application",
            fieldId=SKILLS,
            fieldValue=["py", "go"],
        )
    )
    assert (skills["value"], skills["valueLabel"]) == (["py", "go"], "Py, Go")
    budget = {"value": 90000, "currencyCode": "EUR"}
    results(mapi("customField.setValue", objectId=JOB, objectType="Job", fieldId=BUDGET, fieldValue=budget))
    results(
        mapi(
            "customField.setValue",
            objectId=OPENING,
            objectType="Opening",
            fieldId=START,
            fieldValue="2026-03-01",
        )
    )
    assert _values(msb, "application", APPLICATION)[-1] == skills
    assert _values(msb, "job", JOB)[-1]["value"] == budget
    assert _values(msb, "opening", OPENING) == [
        {"id": START, "title": "Start", "value": "2026-03-01", "isPrivate": False}
    ]
    assert (candidates.ids(), applications.ids(), jobs.ids(), openings.ids()) == (
        [CANDIDATE],
        [APPLICATION],
        [JOB],
        [OPENING],
    )


def test_a_new_value_replaces_the_old_and_the_same_value_writes_nothing(
    mapi: Api, msb: SandboxHandle
) -> None:
    body = {"objectId": CANDIDATE, "objectType": "Candidate", "fieldId": NOTICE}
    results(mapi("customField.setValue", **body, fieldValue=30))
    updated = results(mapi("candidate.info", id=CANDIDATE))["updatedAt"]
    delta = Delta(mapi, "candidate.list")
    results(mapi("customField.setValue", **body, fieldValue=30))
    assert delta.ids() == [] and results(mapi("candidate.info", id=CANDIDATE))["updatedAt"] == updated
    results(mapi("customField.setValue", **body, fieldValue=60))
    assert [v["value"] for v in _values(msb, "candidate", CANDIDATE)] == [60]
    assert delta.ids() == [CANDIDATE]


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"fieldValue": "thirty"}, "invalid_input", "fieldValue"),
        ({"fieldValue": 1.5}, "invalid_input", "fieldValue"),
        ({"fieldId": TEAM, "fieldValue": "sales"}, "invalid_input", "fieldValue"),
        ({"fieldId": SKILLS}, "invalid_input", "fieldId"),  # an Application field
        ({"fieldId": RETIRED, "fieldValue": "x"}, "invalid_input", "fieldId"),
        ({"fieldId": UNKNOWN}, "custom_field_not_found", None),
        ({"objectId": UNKNOWN}, "candidate_not_found", None),
        ({"objectType": "Application"}, "application_not_found", None),
        ({"objectType": "Offer"}, "invalid_input", "objectType"),
        ({"fieldValue": None}, "invalid_input", "fieldValue"),
        ({"objectId": "x"}, "invalid_input", "objectId"),
    ],
)
def test_set_value_refusals_write_nothing(
    mapi: Api, msb: SandboxHandle, change: dict[str, Any], code: str, parameter: str | None
) -> None:
    body = {"objectId": CANDIDATE, "objectType": "Candidate", "fieldId": NOTICE, "fieldValue": 30, **change}
    before = msb.control.get("candidate", CANDIDATE)
    error(mapi("customField.setValue", **body), code, parameter)
    assert msb.control.get("candidate", CANDIDATE) == before


def test_set_values_checks_every_value_before_storing_any(mapi: Api, msb: SandboxHandle) -> None:
    good = [{"fieldId": NOTICE, "fieldValue": 14}, {"fieldId": TEAM, "fieldValue": "platform"}]
    answer = results(mapi("customField.setValues", objectId=CANDIDATE, objectType="Candidate", values=good))
    assert [(v["id"], v["value"]) for v in answer] == [(NOTICE, 14), (TEAM, "platform")]
    assert _values(msb, "candidate", CANDIDATE) == answer
    before = msb.control.get("candidate", CANDIDATE)
    bad = [{"fieldId": NOTICE, "fieldValue": 7}, {"fieldId": TEAM, "fieldValue": "nope"}]
    error(
        mapi("customField.setValues", objectId=CANDIDATE, objectType="Candidate", values=bad),
        "invalid_input",
        "values[1].fieldValue",
    )
    twice = [{"fieldId": NOTICE, "fieldValue": 7}, {"fieldId": NOTICE, "fieldValue": 8}]
    error(
        mapi("customField.setValues", objectId=CANDIDATE, objectType="Candidate", values=twice),
        "invalid_input",
        "values[1].fieldId",
    )
    error(
        mapi("customField.setValues", objectId=CANDIDATE, objectType="Candidate", values=[]),
        "invalid_input",
        "values",
    )
    error(
        mapi(
            "customField.setValues", objectId=CANDIDATE, objectType="Candidate", values=[{"fieldId": NOTICE}]
        ),
        "invalid_input",
        "values[0].fieldValue",
    )
    error(
        mapi(
            "customField.setValues",
            objectId=CANDIDATE,
            objectType="Candidate",
            values=[{"fieldId": SKILLS, "fieldValue": ["py"]}],
        ),
        "invalid_input",
        "values[0].fieldId",
    )
    assert msb.control.get("candidate", CANDIDATE) == before


def test_application_and_job_values_announce_updates_and_candidate_values_nothing(
    fresh: SandboxFactory, client_for: Any
) -> None:
    with run_receiver() as receiver, fresh(dataset=dataset(), webhook_retry_scale=FAST) as sb:
        for event in ("applicationUpdate", "jobUpdate"):
            subscribe(sb, receiver, event, f"/{event}")
        api = client_for(sb)
        results(
            api(
                "customField.setValue",
                objectId=CANDIDATE,
                objectType="Candidate",
                fieldId=NOTICE,
                fieldValue=1,
            )
        )
        results(
            api(
                "customField.setValue",
                objectId=APPLICATION,
                objectType="Application",
                fieldId=SKILLS,
                fieldValue=["go"],
            )
        )
        (update,) = receiver.wait_for(1, "/applicationUpdate")
        assert update.json["data"]["application"]["customFields"][-1]["value"] == ["go"]
        results(
            api(
                "customField.setValue",
                objectId=JOB,
                objectType="Job",
                fieldId=BUDGET,
                fieldValue={"value": 1, "currencyCode": "USD"},
            )
        )
        receiver.wait_for(1, "/jobUpdate")
        assert len(receiver.received()) == 2


# -- permissions ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("endpoint", "key", "missing"),
    [
        ("candidateTag.create", "cand", "hiringProcessMetadataWrite"),
        ("candidateTag.archive", "cand", "hiringProcessMetadataWrite"),
        ("customField.create", "cand", "hiringProcessMetadataWrite"),
        ("customField.updateSelectableValues", "cand", "hiringProcessMetadataWrite"),
        ("customField.setValue", "meta-only", "candidatesWrite"),
        ("customField.setValues", "meta-only", "candidatesWrite"),
    ],
)
def test_each_write_needs_its_module_permission(
    msb: SandboxHandle, client_for: Any, endpoint: str, key: str, missing: str
) -> None:
    before = (
        msb.control.records("candidateTag"),
        msb.control.records("customField"),
        msb.control.get("candidate", CANDIDATE),
    )
    body = {
        "title": "X",
        "tagId": TAG,
        "fieldType": "String",
        "objectType": "Candidate",
        "customFieldId": TEAM,
        "selectableValues": [],
        "objectId": CANDIDATE,
        "fieldId": NOTICE,
        "fieldValue": 3,
        "values": [{"fieldId": NOTICE, "fieldValue": 3}],
    }
    response = client_for(msb, key).raw(endpoint, body)
    assert response.status_code == 403
    error(response.json(), "missing_endpoint_permission")
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": missing}
    after = (
        msb.control.records("candidateTag"),
        msb.control.records("customField"),
        msb.control.get("candidate", CANDIDATE),
    )
    assert after == before


def test_the_tag_and_field_writes_pass_with_the_metadata_key(msb: SandboxHandle, client_for: Any) -> None:
    writer = client_for(msb, "meta-only")
    assert results(writer("candidateTag.create", title="Via metadata"))["title"] == "Via metadata"
    assert (
        results(writer("customField.create", fieldType="Url", objectType="Job", title="Site"))["fieldType"]
        == "Url"
    )


def test_old_tag_title_is_answered_even_when_archived(mapi: Api) -> None:
    assert results(mapi("candidateTag.create", title="old TAG")) == {
        "id": OLD_TAG,
        "title": "Old tag",
        "isArchived": True,
    }
