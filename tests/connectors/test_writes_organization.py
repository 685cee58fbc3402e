"""The organization and metadata writes through the connector, against a generated sandbox: each answers
its typed model and changes the sandbox's state; refusals answer typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.connectors.ashby import AshbyConnector
from ashby_agent.connectors.ashby.records.common import CustomFieldValue, HiringTeamMember
from ashby_agent.connectors.ashby.records.metadata import CandidateTag, CustomField
from ashby_agent.connectors.ashby.records.organization import Department, Location
from ashby_agent.errors import (
    AshbyValidationError,
    ConfirmationRequiredError,
    InvalidParamsError,
    NotFoundError,
)

UNKNOWN = "0b5e2f4c-9d1a-4c3b-8e7f-6a5d4c3b2a19"


def _first(sandbox: Any, table: str, **match: Any) -> dict[str, Any]:
    return next(r for r in sandbox.control.records(table) if all(r.get(k) == v for k, v in match.items()))


# -- departments ------------------------------------------------------------------------------------
async def test_department_lifecycle(writer: AshbyConnector, sandbox: Any) -> None:
    parent = _first(sandbox, "department", isArchived=False, parentId=None)
    created = await writer.execute("departments", "create", {"name": "Research", "parent_id": parent["id"]})
    assert isinstance(created, Department) and created.parent_id == parent["id"]
    assert sandbox.control.get("department", created.id)["name"] == "Research"
    updated = await writer.execute(
        "departments", "update", {"department_id": created.id, "external_name": "R&D"}
    )
    assert (
        isinstance(updated, Department)
        and sandbox.control.get("department", created.id)["externalName"] == "R&D"
    )
    moved = await writer.execute("departments", "move", {"department_id": created.id})
    assert isinstance(moved, Department) and sandbox.control.get("department", created.id)["parentId"] is None
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("departments", "archive", {"department_id": created.id})
    archived = await writer.execute("departments", "archive", {"department_id": created.id, "confirm": True})
    assert (
        isinstance(archived, Department)
        and sandbox.control.get("department", created.id)["isArchived"] is True
    )
    restored = await writer.execute("departments", "restore", {"department_id": created.id})
    assert (
        isinstance(restored, Department)
        and sandbox.control.get("department", created.id)["isArchived"] is False
    )


async def test_department_refusals_are_typed(writer: AshbyConnector, sandbox: Any) -> None:
    with pytest.raises(InvalidParamsError):
        await writer.execute("departments", "create", {"parent_id": "not-a-uuid"})
    with pytest.raises(NotFoundError):
        await writer.execute("departments", "update", {"department_id": UNKNOWN, "name": "X"})
    child = _first(sandbox, "department", isArchived=False)
    with pytest.raises(AshbyValidationError):  # Ashby's invalid_input: a department under itself
        await writer.execute("departments", "move", {"department_id": child["id"], "parent_id": child["id"]})


# -- locations --------------------------------------------------------------------------------------
async def test_location_lifecycle(writer: AshbyConnector, sandbox: Any) -> None:
    region = _first(sandbox, "location", type="LocationHierarchy", isArchived=False)
    other = next(
        r
        for r in sandbox.control.records("location")
        if r["type"] == "LocationHierarchy"
        and r is not region
        and r["id"] != region["id"]
        and not r["isArchived"]
    )
    address = {"postalAddress": {"addressCountry": "DE", "addressLocality": "Berlin"}}
    created = await writer.execute(
        "locations",
        "create",
        {"name": "Berlin", "type": "Location", "parent_location_id": region["id"], "address": address},
    )
    assert isinstance(created, Location) and created.workplace_type == "OnSite"
    assert sandbox.control.get("location", created.id)["parentLocationId"] == region["id"]
    steps: list[tuple[str, dict[str, Any], str, Any]] = [
        ("update_name", {"name": "Berlin HQ"}, "name", "Berlin HQ"),
        ("update_external_name", {"external_name": "Berlin"}, "externalName", "Berlin"),
        ("update_workplace_type", {"workplace_type": "Hybrid"}, "workplaceType", "Hybrid"),
        (
            "update_address",
            {"address": {"postalAddress": {"addressCountry": "DE"}}},
            "address",
            {
                "postalAddress": {
                    "addressCountry": "DE",
                    "addressRegion": None,
                    "addressLocality": None,
                    "postalCode": None,
                    "streetAddress": None,
                }
            },
        ),
        ("move", {"parent_location_hierarchy_id": other["id"]}, "parentLocationId", other["id"]),
        ("archive", {"confirm": True}, "isArchived", True),
        ("restore", {}, "isArchived", False),
    ]
    for action, params, field, expected in steps:
        answer = await writer.execute("locations", action, {"location_id": created.id, **params})
        assert isinstance(answer, Location), action
        assert sandbox.control.get("location", created.id)[field] == expected, action


async def test_location_refusals_are_typed(writer: AshbyConnector, sandbox: Any) -> None:
    office = _first(sandbox, "location", type="Location", isArchived=False)
    with pytest.raises(InvalidParamsError):
        await writer.execute(
            "locations", "update_workplace_type", {"location_id": office["id"], "workplace_type": "Moon"}
        )
    with pytest.raises(NotFoundError):
        await writer.execute("locations", "update_name", {"location_id": UNKNOWN, "name": "X"})
    with pytest.raises(AshbyValidationError):  # a location under itself
        await writer.execute(
            "locations", "move", {"location_id": office["id"], "parent_location_hierarchy_id": office["id"]}
        )


# -- hiring teams -----------------------------------------------------------------------------------
async def test_hiring_team_members_on_a_job_and_an_opening(writer: AshbyConnector, sandbox: Any) -> None:
    user = _first(sandbox, "user", isEnabled=True)
    role = sandbox.control.records("hiringTeamRole")[0]
    job, opening = sandbox.control.records("job")[0], sandbox.control.records("opening")[0]
    member = {"userId": user["id"], "role": role["title"]}
    for target, read in (
        ({"job_id": job["id"]}, lambda: sandbox.control.get("job", job["id"])["hiringTeam"]),
        (
            {"opening_id": opening["id"]},
            lambda: sandbox.control.get("opening", opening["id"])["latestVersion"]["hiringTeam"],
        ),
    ):
        params = {**target, "team_member_id": user["id"], "role_id": role["id"]}
        added = await writer.execute("hiring_teams", "add_member", params)
        assert isinstance(added, HiringTeamMember) and added.user_id == user["id"]
        assert member in [{"userId": m["userId"], "role": m["role"]} for m in read()]
        removed = await writer.execute("hiring_teams", "remove_member", params)
        assert isinstance(removed, HiringTeamMember)
        assert member not in [{"userId": m["userId"], "role": m["role"]} for m in read()]


async def test_a_hiring_team_needs_one_target(writer: AshbyConnector, sandbox: Any) -> None:
    user, role = _first(sandbox, "user", isEnabled=True), sandbox.control.records("hiringTeamRole")[0]
    with pytest.raises(InvalidParamsError, match="give at least one of"):
        await writer.execute(
            "hiring_teams", "add_member", {"team_member_id": user["id"], "role_id": role["id"]}
        )
    with pytest.raises(NotFoundError):
        await writer.execute(
            "hiring_teams",
            "add_member",
            {"job_id": UNKNOWN, "team_member_id": user["id"], "role_id": role["id"]},
        )


# -- tags and custom fields -------------------------------------------------------------------------
async def test_tags_are_created_once_and_archived(writer: AshbyConnector, sandbox: Any) -> None:
    created = await writer.execute("candidate_tags", "create", {"title": "Writes test"})
    assert (
        isinstance(created, CandidateTag)
        and sandbox.control.get("candidateTag", created.id)["title"] == "Writes test"
    )
    again = await writer.execute("candidate_tags", "create", {"title": "writes TEST"})
    assert again.id == created.id
    with pytest.raises(ConfirmationRequiredError):
        await writer.execute("candidate_tags", "archive", {"tag_id": created.id})
    archived = await writer.execute("candidate_tags", "archive", {"tag_id": created.id, "confirm": True})
    assert (
        isinstance(archived, CandidateTag)
        and sandbox.control.get("candidateTag", created.id)["isArchived"] is True
    )


async def test_custom_fields_are_defined_merged_and_set(writer: AshbyConnector, sandbox: Any) -> None:
    options = [{"label": "Senior", "value": "sr"}, {"label": "Junior", "value": "jr"}]
    field = await writer.execute(
        "custom_fields",
        "create",
        {
            "field_type": "ValueSelect",
            "object_type": "Candidate",
            "title": "Seniority",
            "selectable_values": options,
        },
    )
    assert (
        isinstance(field, CustomField)
        and sandbox.control.get("customField", field.id)["objectType"] == "Candidate"
    )
    merged = await writer.execute(
        "custom_fields",
        "update_selectable_values",
        {
            "custom_field_id": field.id,
            "selectable_values": [{"label": "Lead", "value": "sr"}],
            "confirm": True,
        },
    )
    assert isinstance(merged, CustomField)
    assert [
        (o["label"], o["isArchived"])
        for o in sandbox.control.get("customField", field.id)["selectableValues"]
    ] == [
        ("Lead", False),
        ("Junior", True),
    ]
    candidate = sandbox.control.records("candidate")[0]
    value = await writer.execute(
        "custom_fields",
        "set_value",
        {"object_id": candidate["id"], "object_type": "Candidate", "field_id": field.id, "field_value": "sr"},
    )
    assert isinstance(value, CustomFieldValue) and value.value_label == "Lead"
    stored = [
        v for v in sandbox.control.get("candidate", candidate["id"])["customFields"] if v["id"] == field.id
    ]
    assert stored == [
        {"id": field.id, "title": "Seniority", "value": "sr", "isPrivate": False, "valueLabel": "Lead"}
    ]
    with pytest.raises(AshbyValidationError):  # an archived option
        await writer.execute(
            "custom_fields",
            "set_value",
            {
                "object_id": candidate["id"],
                "object_type": "Candidate",
                "field_id": field.id,
                "field_value": "jr",
            },
        )
    with pytest.raises(InvalidParamsError):
        await writer.execute(
            "custom_fields", "create", {"field_type": "Emoji", "object_type": "Job", "title": "X"}
        )


async def test_set_values_answers_a_typed_list_and_booleans_and_numbers_are_values(
    writer: AshbyConnector, sandbox: Any
) -> None:
    from ashby_agent.pagination import ListResult

    flag = await writer.execute(
        "custom_fields", "create", {"field_type": "Boolean", "object_type": "Candidate", "title": "Relocates"}
    )
    years = await writer.execute(
        "custom_fields", "create", {"field_type": "Number", "object_type": "Candidate", "title": "Years"}
    )
    candidate = sandbox.control.records("candidate")[1]
    one = await writer.execute(
        "custom_fields",
        "set_value",
        {"object_id": candidate["id"], "object_type": "Candidate", "field_id": flag.id, "field_value": True},
    )
    assert isinstance(one, CustomFieldValue) and one.value is True
    many = await writer.execute(
        "custom_fields",
        "set_values",
        {
            "object_id": candidate["id"],
            "object_type": "Candidate",
            "values": [{"fieldId": flag.id, "fieldValue": False}, {"fieldId": years.id, "fieldValue": 7}],
        },
    )
    assert isinstance(many, ListResult) and all(isinstance(v, CustomFieldValue) for v in many.data)
    stored = {v["id"]: v["value"] for v in sandbox.control.get("candidate", candidate["id"])["customFields"]}
    assert (stored[flag.id], stored[years.id]) == (False, 7)
    with pytest.raises(InvalidParamsError, match="expected a JSON value"):
        await writer.execute(
            "custom_fields",
            "set_value",
            {
                "object_id": candidate["id"],
                "object_type": "Candidate",
                "field_id": flag.id,
                "field_value": {1: 2},
            },
        )
