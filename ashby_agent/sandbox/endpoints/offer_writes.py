"""Offer writes under ``offersWrite``, in the order Ashby's offer flow takes them.

``offerProcess.start`` opens an application's offer process (``{id, applicationId, status}``);
``offer.start`` hands out an offer form to fill (``{id, formDefinition}``); ``offer.create`` submits it
as the offer's first version; ``offer.startApprovalProcess`` asks the approvers; ``offer.approve``
records approvals until the version is approved; ``offer.update`` submits a new version, which
restarts approval if approval had started. Each step refused out of order answers
``offer_state_invalid`` naming the step to take. The offer writes answer the Offer as ``offer.info``
does; the store's change listener sends ``offerCreate`` and ``offerUpdate``.

Where the reference is silent the sandbox chooses: an application that is archived or hired gets no
process (``application_not_active``); starting the process of an application whose process (or seeded
offer) is still open answers that process; the offer form is ``offer.info``'s default form plus an
optional ``openingId`` field, whose opening must be Open or Approved (``opening_state_invalid``), be
one of the job's and not be held by another open offer (``opening_in_use``); values of fields other
than the start date, salary and opening go to the version's ``customFields``. An approval
(``approval`` table, Ashby's Approval shape) has one step that any enabled organisation admin approves.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from ..params import InvalidInput, Param, validate_item
from ..store import Record, iso_ms, public
from .endpoint import ApiError, Ctx, Endpoint, Params, dumps, not_found, ok
from .feedback import form_fields, form_values
from .lookups import api_user, existing
from .offers import DEFAULT_OFFER_FORM

WRITE = "offersWrite"
TABLE = "offer"
PROCESS_TABLE = "offerProcess"
APPROVAL_TABLE = "approval"
#: Offer statuses after which the offer (and its process) is over; the last two free its opening.
DECIDED = ("CandidateAccepted", "CandidateRejected", "OfferCancelled")
_RELEASED = DECIDED[1:]
_WAITING_ON_APPROVAL = {"acceptanceStatus": "Pending", "offerStatus": "WaitingOnOfferApproval"}
_OPENING_STATES = ("Open", "Approved")
_FORM = (Param("fieldSubmissions", "object_list", required=True),)
_SUBMISSIONS = "offerForm.fieldSubmissions"
_VERSION_FIELDS = {"startDate": "startDate", "salary": "salary", "openingId": "openingId"}


def _offer_form() -> Record:
    """The form offers are written with: the default offer form plus an optional opening."""
    form = copy.deepcopy(DEFAULT_OFFER_FORM)
    fields = form["sections"][0]["fields"]
    for n, entry in enumerate(fields):  # one id per field (the read default shares one)
        entry["field"]["id"] = f"6f1c1f5e-8f3a-4c55-9a55-1d2f0b7c1a{n:02x}"
    fields.append(
        {
            "isRequired": False,
            "field": {
                "id": "6f1c1f5e-8f3a-4c55-9a55-1d2f0b7c1aff",
                "type": "UUID",
                "path": "openingId",
                "humanReadablePath": "Opening",
                "title": "Opening",
                "isNullable": True,
            },
        }
    )
    return form


OFFER_FORM = _offer_form()


def _now(ctx: Ctx) -> str:
    return iso_ms(ctx.store.now_ms())


def _state(message: str, **meta: Any) -> ApiError:
    return ApiError("offer_state_invalid", message, meta=meta or None)


def _answer(ctx: Ctx, offer_id: str) -> bytes:
    """The Offer as ``offer.info`` shows it (with its form)."""
    record = ctx.store.table(TABLE).rows[offer_id]
    return ok(dumps({**public(record), "formDefinition": _form_of(record)}))


def _form_of(offer: Record) -> Record:
    form = offer.get("formDefinition") or offer.get("_formDefinition") or DEFAULT_OFFER_FORM
    assert isinstance(form, dict)
    return form


def _active_application(ctx: Ctx, application_id: str) -> Record:
    application = existing(ctx, "application", application_id)
    status = application.get("status")
    if status in ("Archived", "Hired"):
        raise ApiError(
            "application_not_active",
            f"Application {application['id']} is {status}; an offer needs an active application.",
            meta={"applicationStatus": status},
        )
    return application


def _process(ctx: Ctx, process_id: str) -> Record:
    process = ctx.store.get(PROCESS_TABLE, process_id)
    if process is None:
        raise not_found("offer_process_not_found", "Offer process")
    return process


def _offers_of(ctx: Ctx, application_id: str) -> list[Record]:
    offers = ctx.store.table(TABLE)
    keys = offers.index("applicationId", lambda r: (r.get("applicationId"),)).get(application_id, [])
    return [offers.rows[key[2]] for key in keys]


# -- form values ------------------------------------------------------------------------------------
def _values(ctx: Ctx, p: Params, form: Record, application: Record, own_offer: str | None) -> Record:
    """``offerForm``'s values by path, checked against ``form`` (required fields, formats, opening)."""
    submissions = validate_item(_FORM, p["offerForm"], "offerForm")["fieldSubmissions"]
    values = form_values(submissions, form_fields(form), _SUBMISSIONS)
    if values.get("openingId") is not None:
        i = next(i for i, item in enumerate(submissions) if item.get("path") == "openingId")
        where = f"{_SUBMISSIONS}[{i}].value"
        values["openingId"] = _opening(ctx, submissions[i]["value"], application, own_offer, where)
    return values


def _opening(ctx: Ctx, value: Any, application: Record, own_offer: str | None, where: str) -> str:
    """The opening an offer fills: one of the job's, Open or Approved, not held by another offer."""
    opening_id = str(value.get("value") if isinstance(value, dict) else value).lower()
    opening = ctx.store.get("opening", opening_id)
    if opening is None:
        raise not_found("opening_not_found", "Opening")
    job_id = (application.get("job") or {}).get("id")
    if job_id not in ((opening.get("latestVersion") or {}).get("jobIds") or []):
        raise InvalidInput(f'"{where}": opening {opening_id} is not an opening of job {job_id}', where)
    state = opening.get("openingState")
    if opening.get("isArchived") or state not in _OPENING_STATES:
        raise ApiError(
            "opening_state_invalid",
            f"Opening {opening_id} is {'archived' if opening.get('isArchived') else state}; an offer "
            f"needs an opening that is {' or '.join(_OPENING_STATES)}.",
            meta={"openingState": state},
        )
    for offer in ctx.store.table(TABLE).rows.values():
        holds = (offer.get("latestVersion") or {}).get("openingId") == opening_id
        if holds and offer.get("id") != own_offer and offer.get("offerStatus") not in _RELEASED:
            raise ApiError(
                "opening_in_use",
                f"Opening {opening_id} is held by offer {offer.get('id')}; pick another opening.",
                meta={"offerId": offer.get("id")},
            )
    return opening_id


def _version(ctx: Ctx, values: Record, form: Record) -> Record:
    """A new OfferVersion from the form values (``approvalStatus`` null: approval not started)."""
    fields = form_fields(form)
    salary = values.get("salary")
    version: Record = {
        "id": str(uuid.uuid4()),
        "startDate": values.get("startDate"),
        "salary": {"currencyCode": salary["currencyCode"], "value": salary["value"]} if salary else None,
        "createdAt": _now(ctx),
        "openingId": values.get("openingId"),
        "customFields": [
            {"id": fields[path][0].get("id"), "title": fields[path][0].get("title"), "value": value}
            for path, value in values.items()
            if path not in _VERSION_FIELDS and value is not None
        ],
        "fileHandles": [],
        "author": public(api_user(ctx)),
        "approvalStatus": None,
    }
    return version


def _with_version(offer: Record, version: Record) -> Record:
    """The offer fields with ``version`` as the latest (replacing the version of that id, or added)."""
    fields: Record = {"latestVersion": version}
    if "versions" in offer:
        versions = list(offer["versions"] or [])
        ids = [v.get("id") for v in versions]
        if version["id"] in ids:
            versions[ids.index(version["id"])] = version
        else:
            versions.append(version)
        fields["versions"] = versions
    return fields


def _sync_process(ctx: Ctx, offer: Record) -> None:
    """The offer process follows its offer's status."""
    for process in list(ctx.store.table(PROCESS_TABLE).rows.values()):
        if process.get("_offerId") == offer["id"] and process.get("status") != offer.get("offerStatus"):
            ctx.store.update(PROCESS_TABLE, process["id"], {"status": offer.get("offerStatus")})


# -- process and form -------------------------------------------------------------------------------
def _start_process(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        application = _active_application(ctx, p["applicationId"])
        processes = ctx.store.table(PROCESS_TABLE).rows.values()
        for process in processes:
            if process.get("applicationId") == application["id"] and process.get("status") not in DECIDED:
                return ok(dumps(public(process)))
        seeded = [o for o in _offers_of(ctx, application["id"]) if o.get("offerStatus") not in DECIDED]
        record: Record = {
            "id": str(uuid.uuid4()),
            "applicationId": application["id"],
            "status": seeded[-1].get("offerStatus") if seeded else "WaitingOnOfferCreation",
        }
        if seeded:  # an open offer made before the process was tracked: the process adopts it
            record["_offerId"] = seeded[-1]["id"]
        created = ctx.store.create(PROCESS_TABLE, record, stamped=False)
        return ok(dumps(public(created)))


def _open_process(ctx: Ctx, process_id: str) -> Record:
    process = _process(ctx, process_id)
    if process.get("_offerId"):
        raise _state(
            f"Offer process {process['id']} already has offer {process['_offerId']}; change it with "
            "offer.update.",
            offerId=process["_offerId"],
        )
    return process


def _start_form(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        process = _open_process(ctx, p["offerProcessId"])
        _active_application(ctx, str(process.get("applicationId")))
        form_id = str(uuid.uuid4())
        forms = [*(process.get("_offerFormIds") or []), form_id]
        ctx.store.update(PROCESS_TABLE, process["id"], {"_offerFormIds": forms}, announce=False)
        return ok(dumps({"id": form_id, "formDefinition": OFFER_FORM}))


# -- offers -----------------------------------------------------------------------------------------
def _create(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        process = _open_process(ctx, p["offerProcessId"])
        forms = process.get("_offerFormIds") or []
        if not forms:
            raise _state(f"No offer form was started for offer process {process['id']}; call offer.start.")
        if p["offerFormId"] not in forms:
            raise not_found("offer_form_not_found", "Offer form")
        application = _active_application(ctx, str(process.get("applicationId")))
        version = _version(ctx, _values(ctx, p, OFFER_FORM, application, None), OFFER_FORM)
        offer: Record = {
            "id": str(uuid.uuid4()),
            "applicationId": application["id"],
            "acceptanceStatus": "Created",
            "offerStatus": "WaitingOnApprovalStart",
            "decidedAt": None,
            "latestVersion": version,
            "versions": [version],
            "formDefinition": OFFER_FORM,  # public: offer.info reads records without their _ keys
        }
        ctx.store.create(TABLE, offer, stamped=False)
        ctx.store.update(
            PROCESS_TABLE, process["id"], {"_offerId": offer["id"], "status": offer["offerStatus"]}
        )
        return _answer(ctx, offer["id"])


def _update(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        offer = _offer(ctx, p["offerId"])
        if offer.get("offerStatus") in DECIDED:
            raise _state(
                f"Offer {offer['id']} is {offer.get('offerStatus')}; start a new offer process instead.",
                offerStatus=offer.get("offerStatus"),
            )
        application = existing(ctx, "application", str(offer.get("applicationId")))
        # a generated offer has no form of its own: it takes the form offers are written with
        form = offer.get("formDefinition") or offer.get("_formDefinition") or OFFER_FORM
        version = _version(ctx, _values(ctx, p, form, application, offer["id"]), form)
        # approval already under way (or done) restarts for the new version; otherwise it waits
        if (offer.get("latestVersion") or {}).get("approvalStatus") is not None:
            version = _request_approval(ctx, offer, version, None)
            statuses = _WAITING_ON_APPROVAL
        else:
            statuses = {"acceptanceStatus": "Created", "offerStatus": "WaitingOnApprovalStart"}
        fields = {**_with_version(offer, version), **statuses, "formDefinition": form}
        updated = ctx.store.update(TABLE, offer["id"], fields)
        _sync_process(ctx, updated)
        return _answer(ctx, offer["id"])


def _offer(ctx: Ctx, offer_id: str) -> Record:
    offer = ctx.store.get(TABLE, offer_id)
    if offer is None:
        raise not_found("offer_not_found", "Offer")
    return offer


# -- approvals --------------------------------------------------------------------------------------
def _offer_of_version(ctx: Ctx, version_id: str) -> tuple[Record, Record]:
    """(offer, version) for an offer version id, which must be the offer's latest version."""
    for offer in ctx.store.table(TABLE).rows.values():
        for version in offer.get("versions") or [offer.get("latestVersion") or {}]:
            if version.get("id") == version_id:
                latest = offer.get("latestVersion") or {}
                if latest.get("id") != version_id:
                    raise _state(
                        f"Offer version {version_id} is not the latest version of offer {offer.get('id')}; "
                        f"act on {latest.get('id')}.",
                        latestVersionId=latest.get("id"),
                    )
                return offer, latest
    raise not_found("offer_version_not_found", "Offer version")


def _request_approval(ctx: Ctx, offer: Record, version: Record, note: str | None) -> Record:
    """Create the version's approval (one step, the enabled admins as approvers); answer the version
    as it then is, waiting on approvals."""
    now = _now(ctx)
    users = ctx.store.table("user")
    admins = [
        users.rows[key[2]]
        for key in users.keys
        if users.rows[key[2]].get("isEnabled", True)
        and users.rows[key[2]].get("globalRole") == "Organization Admin"
    ] or [api_user(ctx)]
    approval: Record = {
        "id": str(uuid.uuid4()),
        "approvalDefinitionId": None,
        "entityId": offer["id"],
        "entityType": "offer",
        "createdAt": now,
        "submittedAt": now,
        "completedAt": None,
        "steps": [
            {
                "id": str(uuid.uuid4()),
                "approvalsRequired": 1,
                "completedAt": None,
                "approvers": [
                    {"id": str(uuid.uuid4()), "userId": u["id"], "decision": "pending", "decidedAt": None,
                     "requestedAt": now}
                    for u in admins
                ],
            }
        ],
        "_offerVersionId": version["id"],
    }  # fmt: skip
    if note:
        approval["_note"] = note
    ctx.store.create(APPROVAL_TABLE, approval, stamped=False)
    return {**version, "approvalStatus": "WaitingOnApprovals"}


def _start_approval(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        offer, version = _offer_of_version(ctx, p["offerVersionId"])
        if offer.get("offerStatus") != "WaitingOnApprovalStart" or version.get("approvalStatus") is not None:
            raise _state(
                f"Offer {offer['id']} is {offer.get('offerStatus')}: its approval process starts only once, "
                "after offer.create or offer.update.",
                offerStatus=offer.get("offerStatus"),
            )
        waiting = _request_approval(ctx, offer, version, p.get("note"))
        fields = {**_with_version(offer, waiting), **_WAITING_ON_APPROVAL}
        _sync_process(ctx, ctx.store.update(TABLE, offer["id"], fields))
        return _answer(ctx, offer["id"])


def _approval_of(ctx: Ctx, version_id: str) -> Record:
    approvals = [
        a for a in ctx.store.table(APPROVAL_TABLE).rows.values() if a.get("_offerVersionId") == version_id
    ]
    if not approvals:
        raise _state(f"Offer version {version_id} has no approval process; call offer.startApprovalProcess.")
    return approvals[-1]


def _approve(ctx: Ctx, p: Params) -> bytes:
    given = [name for name in ("approvalStepId", "userId") if name in p]
    if len(given) == 1:
        missing = "userId" if given == ["approvalStepId"] else "approvalStepId"
        raise InvalidInput(f'"approvalStepId" and "userId" go together; "{missing}" is missing', missing)
    with ctx.store.lock:
        offer, version = _offer_of_version(ctx, p["offerVersionId"])
        status = version.get("approvalStatus")
        if status == "Approved":
            return _answer(ctx, offer["id"])  # approving again changes nothing
        if status != "WaitingOnApprovals":
            raise _state(
                f"Offer version {version['id']} is not waiting on approvals (the offer is "
                f"{offer.get('offerStatus')}); call offer.startApprovalProcess first.",
                offerStatus=offer.get("offerStatus"),
            )
        approval = _approval_of(ctx, version["id"])
        now = _now(ctx)
        steps = copy.deepcopy(approval["steps"])
        if given:
            step = next((s for s in steps if s["id"] == p["approvalStepId"]), None)
            if step is None:
                raise not_found("approval_step_not_found", "Approval step")
            user = existing(ctx, "user", p["userId"])
            approver = next((a for a in step["approvers"] if a["userId"] == user["id"]), None)
            if approver is None:
                raise InvalidInput(
                    f'"userId": user {user["id"]} is not an approver of step {step["id"]}', "userId"
                )
            if approver["decision"] != "approve":
                approver.update(decision="approve", decidedAt=now)
            approved = sum(a["decision"] == "approve" for a in step["approvers"])
            if step["completedAt"] is None and approved >= step["approvalsRequired"]:
                step["completedAt"] = now
        else:  # no step named: the whole version is approved
            for step in steps:
                step["completedAt"] = step["completedAt"] or now
        done = all(step["completedAt"] for step in steps)
        ctx.store.update(
            APPROVAL_TABLE, approval["id"], {"steps": steps, "completedAt": now if done else None}
        )
        if done:
            fields = {
                **_with_version(offer, {**version, "approvalStatus": "Approved"}),
                "acceptanceStatus": "WaitingOnResponse",
                "offerStatus": "WaitingOnCandidateResponse",
            }
            _sync_process(ctx, ctx.store.update(TABLE, offer["id"], fields))
        return _answer(ctx, offer["id"])


_OFFER_FORM = Param("offerForm", "object", required=True)
_VERSION_ID = Param("offerVersionId", "uuid", required=True)

ENDPOINTS: list[Endpoint] = [
    Endpoint("offerProcess.start", WRITE, (Param("applicationId", "uuid", required=True),), _start_process),
    Endpoint("offer.start", WRITE, (Param("offerProcessId", "uuid", required=True),), _start_form),
    Endpoint(
        "offer.create",
        WRITE,
        (
            Param("offerProcessId", "uuid", required=True),
            Param("offerFormId", "uuid", required=True),
            _OFFER_FORM,
        ),
        _create,
    ),
    Endpoint("offer.update", WRITE, (Param("offerId", "uuid", required=True), _OFFER_FORM), _update),
    Endpoint(
        "offer.approve",
        WRITE,
        (_VERSION_ID, Param("approvalStepId", "uuid"), Param("userId", "uuid")),
        _approve,
    ),
    Endpoint(
        "offer.startApprovalProcess",
        WRITE,
        (_VERSION_ID, Param("note", "str")),
        _start_approval,
        strict_schema=True,
    ),
]

__all__ = ["APPROVAL_TABLE", "ENDPOINTS", "OFFER_FORM", "PROCESS_TABLE"]
