"""Offers and their versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.operation import (
    CREATED_AFTER,
    Entity,
    EntityGroup,
    Operation,
    filter_param,
    id_param,
    ref_param,
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.offers import Offer, OfferSummary

__all__ = ["OFFERS_READ", "OFFERS_WRITE", "OfferEntities"]

#: The permissions Ashby requires to read and to change its offers module.
OFFERS_READ = "offersRead"
OFFERS_WRITE = "offersWrite"

_OFFER_FORM = Param(
    "offerForm",
    ParamType.OBJECT,
    'The filled offer form: {"fieldSubmissions": [{"path", "value"}]}, paths from the form of start_form.',
    required=True,
)
_VERSION = Param(
    "offerVersionId", ParamType.UUID, "Id of the offer's latest version (latest_version.id).", required=True
)
_PROCESS = Param(
    "offerProcessId", ParamType.UUID, "Id of the offer process (from start_process).", required=True
)


class OfferEntities(EntityGroup):
    """The entities of Ashby's offers module."""

    offers: Entity[OfferSummary, Offer] = Entity(
        "Offers made to candidates, with versions (salary, start date) and approval state.",
        Operation(
            "list",
            "offer.list",
            OFFERS_READ,
            "List offers (latest version each).",
            (
                CREATED_AFTER,
                filter_param("applicationId", "application"),
                Param("offerStatus", ParamType.STRING_LIST, "Only these offer statuses."),
                Param("acceptanceStatus", ParamType.STRING_LIST, "Only these acceptance statuses."),
                Param("approvalStatus", ParamType.STRING_LIST, "Only these approval statuses."),
            ),
            paginated=True,
            sync=True,
        ),
        Operation(
            "get",
            "offer.info",
            OFFERS_READ,
            "One offer with all versions.",
            (
                id_param("offerId", "offer", aliases=("id",)),
                Param("excludeFormDefinition", ParamType.BOOLEAN, "Leave out the offer form definition."),
            ),
        ),
        Operation(
            "start_process",
            "offerProcess.start",
            OFFERS_WRITE,
            "Step 1 of an offer: open the application's offer process (an open one is answered as is).",
            (ref_param("applicationId", "applications", "application"),),
            access="write",
            idempotent=True,
            returns="offers:OfferProcess",
        ),
        Operation(
            "start_form",
            "offer.start",
            OFFERS_WRITE,
            "Step 2: get a blank offer form for an offer process; its id and fields are what create takes.",
            (_PROCESS,),
            access="write",
            returns="offers:OfferForm",
        ),
        Operation(
            "create",
            "offer.create",
            OFFERS_WRITE,
            "Step 3: submit the filled offer form as the offer's first version.",
            (
                _PROCESS,
                Param("offerFormId", ParamType.UUID, "Id of the form from start_form.", required=True),
                _OFFER_FORM,
            ),
            access="write",
        ),
        Operation(
            "update",
            "offer.update",
            OFFERS_WRITE,
            "Submit a new version of an offer (restarts approval if it had started).",
            (ref_param("offerId", "offers", "offer"), _OFFER_FORM),
            access="write",
        ),
        Operation(
            "start_approval",
            "offer.startApprovalProcess",
            OFFERS_WRITE,
            "Send the offer's latest version to its approvers.",
            (_VERSION, Param("note", ParamType.STRING, "A note for the approvers.")),
            access="write",
        ),
        Operation(
            "approve",
            "offer.approve",
            OFFERS_WRITE,
            "Approve an offer version: one approval step as one user, or every step when neither is given.",
            (
                _VERSION,
                Param("approvalStepId", ParamType.UUID, "Id of the approval step (with user_id)."),
                ref_param("userId", "users", "approving user (with approval_step_id)", required=False),
            ),
            access="write",
            idempotent=True,
        ),
    )
