"""Organization writes over real HTTP: departments, locations and hiring teams, each change read back
through the read endpoints and seen in the sync delta, each refusal with its Ashby error code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory, _uid
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.webhooks.conftest import FAST, subscribe
from tests.sandbox.webhooks.receiver import Receiver
from tests.sandbox.write_dataset import IDS, UNKNOWN, write_dataset

ENGINEERING, OLD = _uid(0, 7), _uid(1, 7)
REGION, OFFICE, REMOTE, CLOSED_OFFICE = (_uid(i, 60) for i in range(4))
OPENING = _uid(0, 61)
KEYS = ["full-key", "org-read:organization:read"]


def _location(n: int, name: str, kind: str, parent: str | None, archived: bool = False) -> dict[str, Any]:
    hierarchy = kind == "LocationHierarchy"
    postal = dict.fromkeys(
        ("addressCountry", "addressRegion", "addressLocality", "postalCode", "streetAddress")
    )
    return {
        "id": _uid(n, 60),
        "name": name,
        "externalName": None,
        "isArchived": archived,
        "address": None if hierarchy else {"postalAddress": {**postal, "addressCountry": "France"}},
        "isRemote": False,
        "workplaceType": None if hierarchy else "OnSite",
        "parentLocationId": parent,
        "type": kind,
        "extraData": None,
    }


def dataset() -> dict[str, list[dict[str, Any]]]:
    """``write_dataset()`` plus a region with two offices (one archived), an archived region, an opening."""
    data = write_dataset()
    data["location"] = [
        _location(0, "Europe", "LocationHierarchy", None),
        _location(1, "Paris", "Location", REGION),
        _location(2, "Americas", "LocationHierarchy", None, archived=True),
        _location(3, "Lyon", "Location", REGION, archived=True),
    ]
    data["opening"] = [
        {
            "id": OPENING,
            "openedAt": None,
            "closedAt": None,
            "isArchived": False,
            "archivedAt": None,
            "closeReasonId": None,
            "openingState": "Draft",
            "latestVersion": {
                "id": _uid(1, 61),
                "identifier": "OPN-1",
                "description": None,
                "authorId": None,
                "createdAt": "2025-01-01T00:00:00.000Z",
                "teamId": ENGINEERING,
                "jobIds": [IDS["open_job"]],
                "targetHireDate": None,
                "targetStartDate": None,
                "isBackfill": False,
                "employmentType": "FullTime",
                "locationIds": [OFFICE],
                "hiringTeam": [],
                "customFields": [],
            },
        }
    ]
    return data


@pytest.fixture
def osb(fresh: SandboxFactory) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=dataset()) as sb:
        yield sb


@pytest.fixture
def oapi(osb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(osb)
    return client


# -- departments ------------------------------------------------------------------------------------
def test_create_a_department_seen_by_info_list_and_sync(oapi: Api) -> None:
    delta = Delta(oapi, "department.list")
    created = results(
        oapi(
            "department.create",
            name=" Platform ",
            externalName="Infra",
            parentId=ENGINEERING,
            extraData={"costCenter": "CC-9"},
        )
    )
    assert list(created) == [
        "id",
        "name",
        "externalName",
        "isArchived",
        "parentId",
        "createdAt",
        "updatedAt",
        "extraData",
    ]
    assert (created["name"], created["externalName"], created["parentId"]) == (
        "Platform",
        "Infra",
        ENGINEERING,
    )
    assert created["isArchived"] is False and created["createdAt"] == created["updatedAt"]
    assert created["extraData"] == {"costCenter": "CC-9"}
    assert results(oapi("department.info", departmentId=created["id"])) == created
    assert delta.ids() == [created["id"]]
    top = results(oapi("department.create", name="Sales"))
    assert top["parentId"] is top["externalName"] is top["extraData"] is None


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({}, "invalid_input", "name"),
        ({"name": "  "}, "invalid_input", "name"),
        ({"name": "X", "parentId": "nope"}, "invalid_input", "parentId"),
        ({"name": "X", "parentId": UNKNOWN}, "department_not_found", None),
        ({"name": "X", "parentId": OLD}, "invalid_input", "parentId"),
        ({"name": "X", "extraData": "x"}, "invalid_input", "extraData"),
        ({"name": "X", "extraData": {"k": 1}}, "invalid_input", "extraData.k"),
        ({"name": "X", "extraData": {"k" * 101: "v"}}, "invalid_input", "extraData"),
        ({"name": "X", "extraData": {"k": "v" * 513}}, "invalid_input", "extraData.k"),
        ({"name": "X", "extraData": {f"k{i}": "v" * 400 for i in range(3)}}, "invalid_input", "extraData"),
    ],
)
def test_department_create_refusals_write_nothing(
    oapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = Delta(oapi, "department.list")
    error(oapi("department.create", **body), code, parameter)
    assert delta.ids() == []


def test_update_changes_given_fields_and_an_unchanged_update_writes_nothing(oapi: Api) -> None:
    delta = Delta(oapi, "department.list")
    updated = results(oapi("department.update", departmentId=ENGINEERING, name="Eng", extraData={"a": "b"}))
    assert (updated["name"], updated["extraData"], updated["externalName"]) == ("Eng", {"a": "b"}, None)
    assert updated["updatedAt"] > updated["createdAt"]
    assert delta.ids() == [ENGINEERING]
    again = Delta(oapi, "department.list")
    assert results(oapi("department.update", departmentId=ENGINEERING, name="Eng")) == updated
    assert again.ids() == []
    error(oapi("department.update", departmentId=UNKNOWN, name="X"), "department_not_found")
    error(oapi("department.update", departmentId=ENGINEERING, name=""), "invalid_input", "name")


def test_archive_and_restore_flip_the_flag_once(oapi: Api) -> None:
    delta = Delta(oapi, "department.list")
    archived = results(oapi("department.archive", departmentId=ENGINEERING))
    assert archived["isArchived"] is True
    assert ENGINEERING not in [d["id"] for d in oapi.walk("department.list")[0]]
    assert delta.ids() == [ENGINEERING]  # a delta reports the archiving
    again = Delta(oapi, "department.list")
    assert results(oapi("department.archive", departmentId=ENGINEERING)) == archived
    assert again.ids() == []
    assert results(oapi("department.restore", departmentId=ENGINEERING))["isArchived"] is False
    error(oapi("department.archive", departmentId=UNKNOWN), "department_not_found")
    error(oapi("department.restore", departmentId="x"), "invalid_input", "departmentId")


def test_move_under_a_parent_to_the_top_and_never_under_itself(oapi: Api) -> None:
    child = results(oapi("department.create", name="Child", parentId=ENGINEERING))
    grandchild = results(oapi("department.create", name="Grandchild", parentId=child["id"]))
    assert results(oapi("department.move", departmentId=child["id"]))["parentId"] is None
    assert (
        results(oapi("department.move", departmentId=ENGINEERING, parentId=grandchild["id"]))["parentId"]
        == (grandchild["id"])
    )
    error(
        oapi("department.move", departmentId=child["id"], parentId=ENGINEERING), "invalid_input", "parentId"
    )
    error(
        oapi("department.move", departmentId=child["id"], parentId=child["id"]), "invalid_input", "parentId"
    )
    error(oapi("department.move", departmentId=child["id"], parentId=OLD), "invalid_input", "parentId")
    error(oapi("department.move", departmentId=child["id"], parentId=UNKNOWN), "department_not_found")
    assert results(oapi("department.move", departmentId=ENGINEERING, parentId=None))["parentId"] is None


# -- locations --------------------------------------------------------------------------------------
def _location_info(api: Api, location_id: str) -> dict[str, Any]:
    record: dict[str, Any] = results(api("location.info", locationId=location_id))
    return record


def test_create_a_location_and_a_region(oapi: Api) -> None:
    delta = Delta(oapi, "location.list")
    created = results(
        oapi(
            "location.create",
            name="Berlin",
            type="Location",
            parentLocationId=REGION,
            workplaceType="Hybrid",
            externalName="Berlin Office",
            address={"postalAddress": {"addressCountry": "DE", "addressLocality": "Berlin"}},
            extraData={"code": "BER"},
        )
    )
    assert list(created) == [
        "id",
        "name",
        "externalName",
        "isArchived",
        "address",
        "isRemote",
        "workplaceType",
        "parentLocationId",
        "type",
        "extraData",
    ]
    assert created["address"]["postalAddress"] == {
        "addressCountry": "DE",
        "addressRegion": None,
        "addressLocality": "Berlin",
        "postalCode": None,
        "streetAddress": None,
    }
    assert (created["workplaceType"], created["isRemote"], created["parentLocationId"]) == (
        "Hybrid",
        False,
        REGION,
    )
    assert _location_info(oapi, created["id"]) == created
    remote = results(oapi("location.create", name="Anywhere", type="Location", isRemote=True))
    assert (remote["workplaceType"], remote["isRemote"], remote["address"]) == ("Remote", True, None)
    region = results(oapi("location.create", name="Asia", type="LocationHierarchy"))
    assert (region["workplaceType"], region["isRemote"]) == (None, False)
    assert region["id"] not in [r["id"] for r in oapi.walk("location.list")[0]]  # hierarchy nodes hidden
    assert delta.ids() == [created["id"], remote["id"]]  # the region too, with includeLocationHierarchy


@pytest.mark.parametrize(
    ("body", "code", "parameter"),
    [
        ({"type": "Location"}, "invalid_input", "name"),
        ({"name": "X"}, "invalid_input", "type"),
        ({"name": "X", "type": "City"}, "invalid_input", "type"),
        ({"name": "X", "type": "Location", "workplaceType": "Moon"}, "invalid_input", "workplaceType"),
        (
            {"name": "X", "type": "Location", "workplaceType": "OnSite", "isRemote": True},
            "invalid_input",
            "isRemote",
        ),
        (
            {"name": "X", "type": "LocationHierarchy", "workplaceType": "Remote"},
            "invalid_input",
            "workplaceType",
        ),
        ({"name": "X", "type": "LocationHierarchy", "isRemote": True}, "invalid_input", "isRemote"),
        ({"name": "X", "type": "Location", "parentLocationId": OFFICE}, "invalid_input", "parentLocationId"),
        ({"name": "X", "type": "Location", "parentLocationId": REMOTE}, "invalid_input", "parentLocationId"),
        ({"name": "X", "type": "Location", "parentLocationId": UNKNOWN}, "location_not_found", None),
        ({"name": "X", "type": "Location", "address": "Paris"}, "invalid_input", "address"),
        (
            {"name": "X", "type": "Location", "address": {"postalAddress": {"postalCode": 75001}}},
            "invalid_input",
            "address.postalAddress.postalCode",
        ),
    ],
)
def test_location_create_refusals_write_nothing(
    oapi: Api, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    delta = Delta(oapi, "location.list")
    error(oapi("location.create", **body), code, parameter)
    assert delta.ids() == []


def test_location_updates_change_one_thing_each(oapi: Api) -> None:
    delta = Delta(oapi, "location.list")
    address = {
        "postalAddress": {"addressCountry": "France", "addressLocality": "Paris", "streetAddress": "1 rue"}
    }
    moved = results(oapi("location.updateAddress", locationId=OFFICE, address=address))
    assert moved["address"]["postalAddress"]["streetAddress"] == "1 rue"
    assert results(oapi("location.updateName", locationId=OFFICE, name="Paris HQ"))["name"] == "Paris HQ"
    assert (
        results(oapi("location.updateExternalName", locationId=OFFICE, externalName="HQ"))["externalName"]
        == "HQ"
    )
    assert (
        results(oapi("location.updateExternalName", locationId=OFFICE, externalName=None))["externalName"]
        is None
    )
    remote = results(oapi("location.updateWorkplaceType", locationId=OFFICE, workplaceType="Remote"))
    assert (remote["workplaceType"], remote["isRemote"]) == ("Remote", True)
    assert _location_info(oapi, OFFICE) == remote
    assert delta.ids() == [OFFICE]
    again = Delta(oapi, "location.list")
    results(oapi("location.updateName", locationId=OFFICE, name="Paris HQ"))
    assert again.ids() == []
    error(
        oapi("location.updateWorkplaceType", locationId=REGION, workplaceType="Remote"),
        "invalid_input",
        "workplaceType",
    )
    error(oapi("location.updateName", locationId=OFFICE, name=" "), "invalid_input", "name")
    error(oapi("location.updateAddress", locationId=OFFICE), "invalid_input", "address")
    error(oapi("location.updateName", locationId=UNKNOWN, name="X"), "location_not_found")


def test_archive_restore_and_move_locations(oapi: Api) -> None:
    assert results(oapi("location.archive", locationId=OFFICE))["isArchived"] is True
    assert OFFICE not in [r["id"] for r in oapi.walk("location.list")[0]]
    assert results(oapi("location.restore", locationId=OFFICE))["isArchived"] is False
    region = results(oapi("location.create", name="West", type="LocationHierarchy", parentLocationId=REGION))
    assert (
        results(oapi("location.move", locationId=OFFICE, parentLocationHierarchyId=region["id"]))[
            "parentLocationId"
        ]
        == region["id"]
    )
    body = {"locationId": REGION, "parentLocationHierarchyId": region["id"]}
    error(oapi("location.move", **body), "invalid_input", "parentLocationHierarchyId")  # under itself
    error(oapi("location.move", locationId=OFFICE, parentLocationHierarchyId=REMOTE), "invalid_input")
    error(oapi("location.move", locationId=OFFICE), "invalid_input", "parentLocationHierarchyId")
    error(oapi("location.archive", locationId=UNKNOWN), "location_not_found")


def test_strict_mode_refuses_extra_keys_on_update_external_name(
    fresh: SandboxFactory, client_for: Any
) -> None:
    with fresh(dataset=dataset(), strict_schemas=True) as sb:
        api = client_for(sb)
        error(api("location.updateExternalName", locationId=OFFICE, name="x"), "invalid_input", "name")
        assert results(api("location.updateExternalName", locationId=OFFICE))["externalName"] is None


# -- hiring teams -----------------------------------------------------------------------------------
MEMBER = {
    "userId": IDS["admin"],
    "firstName": "User0",
    "lastName": "Tester",
    "email": "user0@example.com",
    "role": "Hiring Manager",
}


@pytest.mark.parametrize(
    ("target", "read"),
    [
        (
            {"applicationId": IDS["active_app"]},
            lambda sb: sb.control.get("application", IDS["active_app"])["hiringTeam"],
        ),
        ({"jobId": IDS["open_job"]}, lambda sb: sb.control.get("job", IDS["open_job"])["hiringTeam"]),
        (
            {"openingId": OPENING},
            lambda sb: sb.control.get("opening", OPENING)["latestVersion"]["hiringTeam"],
        ),
    ],
    ids=["application", "job", "opening"],
)
def test_hiring_team_members_are_added_once_and_removed(
    oapi: Api, osb: SandboxHandle, target: dict[str, str], read: Any
) -> None:
    body = {**target, "teamMemberId": IDS["admin"], "roleId": IDS["manager_role"]}
    before = list(read(osb))
    assert results(oapi("hiringTeam.addMember", **body)) == MEMBER
    assert read(osb) == [*before, MEMBER]
    results(oapi("hiringTeam.addMember", **body))
    assert read(osb).count(MEMBER) == 1
    assert results(oapi("hiringTeam.removeMember", **body)) == MEMBER
    assert read(osb) == before


def test_hiring_team_changes_feed_the_sync_and_updated_at(oapi: Api) -> None:
    applications, jobs = Delta(oapi, "application.list"), Delta(oapi, "job.list")
    before = results(oapi("application.info", applicationId=IDS["active_app"]))["updatedAt"]
    body = {"teamMemberId": IDS["admin"], "roleId": IDS["manager_role"]}
    results(oapi("hiringTeam.addMember", applicationId=IDS["active_app"], **body))
    results(oapi("hiringTeam.addMember", jobId=IDS["open_job"], **body))
    after = results(oapi("application.info", applicationId=IDS["active_app"]))
    assert after["updatedAt"] > before and MEMBER in after["hiringTeam"]
    assert applications.ids() == [IDS["active_app"]] and jobs.ids() == [IDS["open_job"]]


@pytest.mark.parametrize(
    ("change", "code", "parameter"),
    [
        ({"applicationId": None}, "invalid_input", None),
        ({"jobId": IDS["open_job"]}, "invalid_input", "jobId"),
        ({"applicationId": UNKNOWN}, "application_not_found", None),
        ({"applicationId": None, "jobId": UNKNOWN}, "job_not_found", None),
        ({"applicationId": None, "openingId": UNKNOWN}, "opening_not_found", None),
        ({"teamMemberId": UNKNOWN}, "user_not_found", None),
        ({"roleId": UNKNOWN}, "hiring_team_role_not_found", None),
        ({"teamMemberId": IDS["disabled"]}, "user_deactivated", None),
        ({"roleId": "r"}, "invalid_input", "roleId"),
        ({"teamMemberId": None}, "invalid_input", "teamMemberId"),
    ],
)
def test_hiring_team_refusals_write_nothing(
    oapi: Api, osb: SandboxHandle, change: dict[str, Any], code: str, parameter: str | None
) -> None:
    body = {"applicationId": IDS["active_app"], "teamMemberId": IDS["admin"], "roleId": IDS["manager_role"]}
    body.update(change)
    before = osb.control.get("application", IDS["active_app"])
    error(oapi("hiringTeam.addMember", **{k: v for k, v in body.items() if v is not None}), code, parameter)
    assert osb.control.get("application", IDS["active_app"]) == before


def test_hiring_team_changes_announce_application_and_job_updates(
    fresh: SandboxFactory, client_for: Any, receiver: Receiver
) -> None:
    with fresh(dataset=dataset(), webhook_retry_scale=FAST) as sb:
        for event in ("applicationUpdate", "jobUpdate"):
            subscribe(sb, receiver, event, f"/{event}")
        api = client_for(sb)
        body = {"teamMemberId": IDS["admin"], "roleId": IDS["manager_role"]}
        results(api("hiringTeam.addMember", applicationId=IDS["active_app"], **body))
        (update,) = receiver.wait_for(1, "/applicationUpdate")
        assert MEMBER in update.json["data"]["application"]["hiringTeam"]
        results(api("hiringTeam.addMember", jobId=IDS["open_job"], **body))
        (job,) = receiver.wait_for(1, "/jobUpdate")
        assert MEMBER in job.json["data"]["job"]["hiringTeam"]
        results(api("department.create", name="Quiet"))  # organization records announce nothing
        results(api("location.updateName", locationId=OFFICE, name="Quiet"))
        assert len(receiver.received()) == 2


# -- permissions ------------------------------------------------------------------------------------
WRITES = [
    "department.create",
    "department.update",
    "department.archive",
    "department.restore",
    "department.move",
    "location.create",
    "location.archive",
    "location.restore",
    "location.move",
    "location.updateAddress",
    "location.updateName",
    "location.updateExternalName",
    "location.updateWorkplaceType",
    "hiringTeam.addMember",
    "hiringTeam.removeMember",
]


@pytest.mark.parametrize("endpoint", WRITES)
def test_a_key_without_organization_write_gets_the_permission_error(
    osb: SandboxHandle, client_for: Any, endpoint: str
) -> None:
    before = osb.control.records("department"), osb.control.records("location")
    body = {
        "name": "X",
        "departmentId": ENGINEERING,
        "locationId": OFFICE,
        "type": "Location",
        "applicationId": IDS["active_app"],
        "teamMemberId": IDS["admin"],
        "roleId": IDS["manager_role"],
    }
    response = client_for(osb, "org-read").raw(endpoint, body)
    assert response.status_code == 403
    error(response.json(), "missing_endpoint_permission")
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": "organizationWrite"}
    assert (osb.control.records("department"), osb.control.records("location")) == before
