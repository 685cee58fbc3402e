"""Offer writes over real HTTP, in the flow's order (process → form → offer → approval → new version):
each step read back through ``offer.info`` and the ``offer.list`` sync delta, each step taken out of
order refused with ``offer_state_invalid``, every other refusal with its code, permissions and the
``offerCreate`` / ``offerUpdate`` webhook events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ashby_agent.sandbox import SandboxHandle
from tests.sandbox.conftest import Api, SandboxFactory, _uid
from tests.sandbox.endpoints.conftest import Delta, error, results
from tests.sandbox.webhooks.conftest import subscribe
from tests.sandbox.webhooks.receiver import Receiver
from tests.sandbox.write_dataset import IDS, UNKNOWN, write_dataset

KEYS = ["full-key", "read-key:offers:read", "write-key:offers:write"]
FRESH_APP, OFFERED_APP = _uid(2, 8), _uid(8, 8)  # active applications to the open job
OPEN, DRAFT, HELD, OTHER_JOBS = (_uid(n, 60) for n in range(4))
SEEDED_OFFER, SEEDED_VERSION = _uid(0, 61), _uid(1, 61)


def _opening(opening_id: str, state: str, job_id: str) -> dict[str, Any]:
    return {"id": opening_id, "openedAt": None, "closedAt": None, "isArchived": False, "archivedAt": None,
            "closeReasonId": None, "openingState": state,
            "latestVersion": {"id": _uid(int(opening_id[-1], 16), 62), "identifier": f"OP-{state}",
                              "jobIds": [job_id], "createdAt": "2025-06-01T00:00:00.000Z"}}  # fmt: skip


def _dataset() -> dict[str, list[dict[str, Any]]]:
    data = write_dataset()
    data["opening"] = [
        _opening(OPEN, "Open", IDS["open_job"]),
        _opening(DRAFT, "Draft", IDS["open_job"]),
        _opening(HELD, "Open", IDS["open_job"]),
        _opening(OTHER_JOBS, "Open", IDS["closed_job"]),
    ]
    version = {"id": SEEDED_VERSION, "startDate": "2026-03-01", "salary": {"currencyCode": "USD", "value": 1},
               "createdAt": "2025-12-01T00:00:00.000Z", "openingId": HELD, "customFields": [],
               "fileHandles": [], "author": data["user"][0], "approvalStatus": "Approved"}  # fmt: skip
    data["offer"] = [
        {"id": SEEDED_OFFER, "applicationId": OFFERED_APP, "acceptanceStatus": "WaitingOnResponse",
         "offerStatus": "WaitingOnCandidateResponse", "decidedAt": None, "latestVersion": version,
         "versions": [version]}
    ]  # fmt: skip
    return data


@pytest.fixture
def osb(fresh: SandboxFactory, receiver: Receiver) -> Iterator[SandboxHandle]:
    with fresh(api_keys=KEYS, dataset=_dataset(), webhook_retry_scale=0.0001) as sb:
        for event in ("offerCreate", "offerUpdate"):
            subscribe(sb, receiver, event, f"/{event}")
        yield sb


@pytest.fixture
def oapi(osb: SandboxHandle, client_for: Any) -> Api:
    client: Api = client_for(osb)
    return client


def _form(salary: int = 100_000, **extra: Any) -> dict[str, Any]:
    values = {"startDate": "2026-04-01", "salary": {"value": salary, "currencyCode": "EUR"},
              "jobTitle": "Engineer", **extra}  # fmt: skip
    return {"fieldSubmissions": [{"path": path, "value": value} for path, value in values.items()]}


def _process(api: Api, application_id: str = FRESH_APP) -> dict[str, Any]:
    process: dict[str, Any] = results(api("offerProcess.start", applicationId=application_id))
    return process


def _offer(api: Api, **form: Any) -> dict[str, Any]:
    process = _process(api)
    started = results(api("offer.start", offerProcessId=process["id"]))
    body = {"offerProcessId": process["id"], "offerFormId": started["id"], "offerForm": _form(**form)}
    offer: dict[str, Any] = results(api("offer.create", **body))
    return offer


def _info(api: Api, offer_id: str) -> dict[str, Any]:
    offer: dict[str, Any] = results(api("offer.info", offerId=offer_id))
    return offer


def _version(offer: dict[str, Any]) -> str:
    return str(offer["latestVersion"]["id"])


# -- the flow ---------------------------------------------------------------------------------------
def test_process_form_offer_each_answer_and_the_offer_in_info_list_delta_and_webhook(
    oapi: Api, osb: SandboxHandle, receiver: Receiver
) -> None:
    offers = Delta(oapi, "offer.list")
    process = _process(oapi)
    assert process == {"id": process["id"], "applicationId": FRESH_APP, "status": "WaitingOnOfferCreation"}
    assert _process(oapi) == process  # an open process is answered as is
    started = results(oapi("offer.start", offerProcessId=process["id"]))
    assert set(started) == {"id", "formDefinition"}
    fields = [f["field"] for f in started["formDefinition"]["sections"][0]["fields"]]
    assert [f["path"] for f in fields] == ["startDate", "salary", "jobTitle", "openingId"]
    assert len({f["id"] for f in fields}) == 4
    body = {"offerProcessId": process["id"], "offerFormId": started["id"], "offerForm": _form(openingId=OPEN)}
    offer = results(oapi("offer.create", **body))
    assert (offer["applicationId"], offer["acceptanceStatus"], offer["offerStatus"], offer["decidedAt"]) == (
        FRESH_APP, "Created", "WaitingOnApprovalStart", None,
    )  # fmt: skip
    version = offer["latestVersion"]
    assert offer["versions"] == [version]
    assert version["startDate"] == "2026-04-01" and version["salary"] == {
        "currencyCode": "EUR",
        "value": 100_000,
    }
    assert version["openingId"] == OPEN and version["approvalStatus"] is None
    assert version["customFields"] == [{"id": fields[2]["id"], "title": "Job title", "value": "Engineer"}]
    assert version["author"]["id"] == IDS["admin"] and version["fileHandles"] == []
    assert offer["formDefinition"] == started["formDefinition"]
    assert _info(oapi, offer["id"]) == offer
    assert offers.ids() == [offer["id"]]
    assert osb.control.get("offerProcess", process["id"])["status"] == "WaitingOnApprovalStart"
    (created,) = receiver.wait_for(1, "/offerCreate")
    assert created.json["data"]["offer"]["id"] == offer["id"]


def test_approval_runs_from_start_to_approved_step_by_step(
    oapi: Api, osb: SandboxHandle, receiver: Receiver
) -> None:
    offer = _offer(oapi)
    offers = Delta(oapi, "offer.list")
    waiting = results(oapi("offer.startApprovalProcess", offerVersionId=_version(offer), note="Please"))
    assert (waiting["acceptanceStatus"], waiting["offerStatus"]) == ("Pending", "WaitingOnOfferApproval")
    assert waiting["latestVersion"]["approvalStatus"] == "WaitingOnApprovals"
    assert waiting["versions"] == [waiting["latestVersion"]]
    (approval,) = osb.control.records("approval")
    assert (approval["entityType"], approval["entityId"], approval["completedAt"]) == (
        "offer",
        offer["id"],
        None,
    )
    (step,) = approval["steps"]
    assert {a["userId"] for a in step["approvers"]} == {IDS["admin"], IDS["user1"]}  # the enabled admins
    error(
        oapi(
            "offer.approve", offerVersionId=_version(offer), approvalStepId=step["id"], userId=IDS["disabled"]
        ),
        "invalid_input",
        "userId",
    )
    approved = results(
        oapi("offer.approve", offerVersionId=_version(offer), approvalStepId=step["id"], userId=IDS["user1"])
    )
    assert (approved["acceptanceStatus"], approved["offerStatus"]) == (
        "WaitingOnResponse",
        "WaitingOnCandidateResponse",
    )
    assert approved["latestVersion"]["approvalStatus"] == "Approved"
    (approval,) = osb.control.records("approval")
    assert approval["completedAt"] is not None
    decided = [a for a in approval["steps"][0]["approvers"] if a["decision"] == "approve"]
    assert [a["userId"] for a in decided] == [IDS["user1"]]
    assert offers.ids() == [offer["id"]]
    assert len(receiver.wait_for(2, "/offerUpdate")) == 2
    assert results(oapi("offer.approve", offerVersionId=_version(offer))) == approved  # again: nothing more
    assert osb.control.get("offerProcess", _process_of(osb, offer))["status"] == "WaitingOnCandidateResponse"


def _process_of(osb: SandboxHandle, offer: dict[str, Any]) -> str:
    return next(p["id"] for p in osb.control.records("offerProcess") if p.get("_offerId") == offer["id"])


def test_approve_without_a_step_approves_every_step(oapi: Api) -> None:
    offer = _offer(oapi)
    results(oapi("offer.startApprovalProcess", offerVersionId=_version(offer)))
    approved = results(oapi("offer.approve", offerVersionId=_version(offer)))
    assert approved["latestVersion"]["approvalStatus"] == "Approved"


def test_update_adds_a_version_and_restarts_approval_only_once_it_had_started(
    oapi: Api, osb: SandboxHandle
) -> None:
    offer = _offer(oapi)
    second = results(oapi("offer.update", offerId=offer["id"], offerForm=_form(salary=105_000)))
    assert second["versions"][0]["id"] == _version(offer) and len(second["versions"]) == 2
    assert second["latestVersion"]["salary"]["value"] == 105_000
    assert (second["offerStatus"], second["latestVersion"]["approvalStatus"]) == (
        "WaitingOnApprovalStart",
        None,
    )
    results(oapi("offer.startApprovalProcess", offerVersionId=_version(second)))
    results(oapi("offer.approve", offerVersionId=_version(second)))
    third = results(oapi("offer.update", offerId=offer["id"], offerForm=_form(salary=110_000)))
    assert third["offerStatus"] == "WaitingOnOfferApproval"
    assert third["latestVersion"]["approvalStatus"] == "WaitingOnApprovals"
    assert [v["approvalStatus"] for v in third["versions"]] == [None, "Approved", "WaitingOnApprovals"]
    assert len(osb.control.records("approval")) == 2
    assert _info(oapi, offer["id"]) == third


def test_a_seeded_offer_is_adopted_by_its_process_and_changed_with_update(
    oapi: Api, osb: SandboxHandle
) -> None:
    process = _process(oapi, OFFERED_APP)
    assert process["status"] == "WaitingOnCandidateResponse"
    error(oapi("offer.start", offerProcessId=process["id"]), "offer_state_invalid")
    updated = results(oapi("offer.update", offerId=SEEDED_OFFER, offerForm=_form(openingId=HELD)))
    assert updated["latestVersion"]["openingId"] == HELD  # its own opening is not "in use"
    assert updated["offerStatus"] == "WaitingOnOfferApproval"  # it was approved: approval restarts
    assert osb.control.get("offerProcess", process["id"])["status"] == "WaitingOnOfferApproval"


# -- the flow's order -------------------------------------------------------------------------------
def test_each_step_out_of_order_is_refused_and_writes_nothing(oapi: Api, osb: SandboxHandle) -> None:
    process = _process(oapi)
    error(oapi("offer.create", offerProcessId=process["id"], offerFormId=UNKNOWN, offerForm=_form()),
          "offer_state_invalid")  # fmt: skip
    started = results(oapi("offer.start", offerProcessId=process["id"]))
    error(oapi("offer.create", offerProcessId=process["id"], offerFormId=UNKNOWN, offerForm=_form()),
          "offer_form_not_found")  # fmt: skip
    offer = results(
        oapi("offer.create", offerProcessId=process["id"], offerFormId=started["id"], offerForm=_form())
    )
    offers = Delta(oapi, "offer.list")
    error(oapi("offer.create", offerProcessId=process["id"], offerFormId=started["id"], offerForm=_form()),
          "offer_state_invalid")  # fmt: skip
    error(oapi("offer.start", offerProcessId=process["id"]), "offer_state_invalid")
    error(oapi("offer.approve", offerVersionId=_version(offer)), "offer_state_invalid")
    results(oapi("offer.startApprovalProcess", offerVersionId=_version(offer)))
    error(oapi("offer.startApprovalProcess", offerVersionId=_version(offer)), "offer_state_invalid")
    newer = results(oapi("offer.update", offerId=offer["id"], offerForm=_form()))
    for endpoint in ("offer.approve", "offer.startApprovalProcess"):  # the old version is no longer acted on
        message = error(oapi(endpoint, offerVersionId=_version(offer)), "offer_state_invalid")
        assert _version(newer) in message
    osb.control.update("offer", offer["id"], offerStatus="CandidateAccepted")
    offers = Delta(oapi, "offer.list")
    error(oapi("offer.update", offerId=offer["id"], offerForm=_form()), "offer_state_invalid")
    assert offers.ids() == []


@pytest.mark.parametrize(
    ("application", "status"), [(IDS["archived_app"], "Archived"), (IDS["hired_app"], "Hired")]
)
def test_archived_and_hired_applications_get_no_offer_process(
    oapi: Api, application: str, status: str
) -> None:
    payload = oapi("offerProcess.start", applicationId=application)
    error(payload, "application_not_active")
    assert payload["errorInfo"]["meta"] == {"applicationStatus": status}


# -- refusals ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("endpoint", "body", "code", "parameter"),
    [
        ("offerProcess.start", {}, "invalid_input", "applicationId"),
        ("offerProcess.start", {"applicationId": "x"}, "invalid_input", "applicationId"),
        ("offerProcess.start", {"applicationId": UNKNOWN}, "application_not_found", None),
        ("offer.start", {}, "invalid_input", "offerProcessId"),
        ("offer.start", {"offerProcessId": UNKNOWN}, "offer_process_not_found", None),
        ("offer.create", {"offerProcessId": UNKNOWN, "offerFormId": UNKNOWN}, "invalid_input", "offerForm"),
        (
            "offer.create",
            {"offerProcessId": UNKNOWN, "offerFormId": UNKNOWN, "offerForm": {}},
            "offer_process_not_found",
            None,
        ),
        ("offer.update", {"offerId": UNKNOWN, "offerForm": {}}, "offer_not_found", None),
        ("offer.update", {"offerId": SEEDED_OFFER, "offerForm": []}, "invalid_input", "offerForm"),
        ("offer.approve", {}, "invalid_input", "offerVersionId"),
        ("offer.approve", {"offerVersionId": UNKNOWN}, "offer_version_not_found", None),
        (
            "offer.approve",
            {"offerVersionId": SEEDED_VERSION, "approvalStepId": UNKNOWN},
            "invalid_input",
            "userId",
        ),
        (
            "offer.approve",
            {"offerVersionId": SEEDED_VERSION, "userId": IDS["admin"]},
            "invalid_input",
            "approvalStepId",
        ),
        ("offer.startApprovalProcess", {"offerVersionId": UNKNOWN}, "offer_version_not_found", None),
        (
            "offer.startApprovalProcess",
            {"offerVersionId": SEEDED_VERSION, "note": 5},
            "invalid_input",
            "note",
        ),
    ],
)
def test_parameter_and_lookup_refusals(
    oapi: Api, endpoint: str, body: dict[str, Any], code: str, parameter: str | None
) -> None:
    offers = Delta(oapi, "offer.list")
    error(oapi(endpoint, **body), code, parameter)
    assert offers.ids() == []


@pytest.mark.parametrize(
    ("form", "code", "parameter"),
    [
        ({}, "invalid_input", "offerForm.fieldSubmissions"),
        (
            {"fieldSubmissions": [{"path": "startDate", "value": "2026-04-01"}]},
            "invalid_input",
            "offerForm.fieldSubmissions",
        ),
        (
            {"fieldSubmissions": [{"path": "bonus", "value": 1}]},
            "invalid_input",
            "offerForm.fieldSubmissions[0].path",
        ),
        (
            {"fieldSubmissions": [{"path": "startDate"}]},
            "invalid_input",
            "offerForm.fieldSubmissions[0].value",
        ),
        (
            {"fieldSubmissions": [{"path": "startDate", "value": None}]},
            "invalid_input",
            "offerForm.fieldSubmissions[0].value",
        ),
        (
            {"fieldSubmissions": [{"path": "startDate", "value": "April"}]},
            "invalid_input",
            "offerForm.fieldSubmissions[0].value",
        ),
        (
            {"fieldSubmissions": [{"path": "salary", "value": 100}]},
            "invalid_input",
            "offerForm.fieldSubmissions[0].value",
        ),
        (
            {"fieldSubmissions": [{"path": "jobTitle", "value": "A"}, {"path": "jobTitle", "value": "B"}]},
            "invalid_input",
            "offerForm.fieldSubmissions[1].path",
        ),
        (_form(openingId="x"), "invalid_input", "offerForm.fieldSubmissions[3].value"),
        (_form(openingId=UNKNOWN), "opening_not_found", None),
        (_form(openingId=DRAFT), "opening_state_invalid", None),
        (_form(openingId=HELD), "opening_in_use", None),
        (_form(openingId=OTHER_JOBS), "invalid_input", "offerForm.fieldSubmissions[3].value"),
    ],
)
def test_offer_form_refusals_write_nothing(
    oapi: Api, form: dict[str, Any], code: str, parameter: str | None
) -> None:
    process = _process(oapi)
    started = results(oapi("offer.start", offerProcessId=process["id"]))
    offers = Delta(oapi, "offer.list")
    error(
        oapi("offer.create", offerProcessId=process["id"], offerFormId=started["id"], offerForm=form),
        code,
        parameter,
    )
    assert offers.ids() == []


def test_approve_names_an_unknown_step_and_a_user_who_is_not_an_approver(oapi: Api) -> None:
    offer = _offer(oapi)
    results(oapi("offer.startApprovalProcess", offerVersionId=_version(offer)))
    base = {"offerVersionId": _version(offer), "userId": IDS["admin"]}
    error(oapi("offer.approve", **base, approvalStepId=UNKNOWN), "approval_step_not_found")
    error(oapi("offer.approve", offerVersionId=_version(offer), approvalStepId=UNKNOWN, userId=UNKNOWN),
          "approval_step_not_found")  # fmt: skip
    assert _info(oapi, offer["id"])["latestVersion"]["approvalStatus"] == "WaitingOnApprovals"


# -- permissions ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "endpoint",
    [
        "offerProcess.start",
        "offer.start",
        "offer.create",
        "offer.update",
        "offer.approve",
        "offer.startApprovalProcess",
    ],
)
def test_the_writes_need_offers_write(osb: SandboxHandle, client_for: Any, endpoint: str) -> None:
    reader: Api = client_for(osb, "read-key")
    response = reader.raw(endpoint, {"applicationId": FRESH_APP})
    assert response.status_code == 403
    assert response.json()["errorInfo"]["meta"] == {"missingPermission": "offersWrite"}
    writer: Api = client_for(osb, "write-key")
    assert writer("offerProcess.start", applicationId=FRESH_APP)["success"] is True
