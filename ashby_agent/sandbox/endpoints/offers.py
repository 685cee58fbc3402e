"""Offers module reads: offer summaries (latest version) and full offers."""

from __future__ import annotations

from collections.abc import Callable

from ..params import SYNCED_CREATED, Param
from ..store import Record, Table, public
from .endpoint import Ctx, Endpoint, Params, dumps
from .shapes import Accept, by_field, info, paged_list

PERMISSION = "offersRead"
OFFER_STATUSES = (
    "WaitingOnApprovalStart", "WaitingOnOfferApproval", "WaitingOnApprovalDefinition",
    "WaitingOnCandidateResponse", "CandidateRejected", "CandidateAccepted", "OfferCancelled",
)  # fmt: skip
ACCEPTANCE_STATUSES = ("Accepted", "Declined", "Pending", "Created", "Cancelled", "WaitingOnResponse")
APPROVAL_STATUSES = ("Approved", "WaitingOnApprovals", "Declined")


def _summary(record: Record) -> Record:
    """OfferSummary: the offer without its version history and form."""
    return {k: v for k, v in record.items() if k not in ("versions", "formDefinition")}


def _accept(_ctx: Ctx, p: Params) -> Accept | None:
    offer = set(p.get("offerStatus", ()))
    acceptance = set(p.get("acceptanceStatus", ()))
    approval = set(p.get("approvalStatus", ()))
    if not (offer or acceptance or approval):
        return None

    def accept(r: Record) -> bool:
        if offer and r.get("offerStatus") not in offer:
            return False
        if acceptance and r.get("acceptanceStatus") not in acceptance:
            return False
        return not approval or (r.get("latestVersion") or {}).get("approvalStatus") in approval

    return accept


def _render(_ctx: Ctx, table: Table, _p: Params) -> Callable[[str], bytes]:
    return lambda row_id: table.json(row_id, _summary, "summary")


#: The offer form when the dataset carries none (``formDefinition`` or internal ``_formDefinition``).
DEFAULT_OFFER_FORM: Record = {
    "sections": [
        {
            "title": "Offer details",
            "fields": [
                {
                    "isRequired": True,
                    "field": {
                        "id": "6f1c1f5e-8f3a-4c55-9a55-1d2f0b7c1a01",
                        "type": field_type,
                        "path": path,
                        "humanReadablePath": title,
                        "title": title,
                        "isNullable": False,
                    },
                }
                for field_type, path, title in (
                    ("Date", "startDate", "Start date"),
                    ("Currency", "salary", "Salary"),
                    ("String", "jobTitle", "Job title"),
                )
            ],
        }
    ]
}


def _with_form(record: Record) -> Record:
    offer = public(record)
    offer["formDefinition"] = (
        record.get("formDefinition") or record.get("_formDefinition") or DEFAULT_OFFER_FORM
    )
    return offer


def _info(_ctx: Ctx, table: Table, row_id: str, p: Params) -> bytes:
    """Offer + ``formDefinition`` unless ``excludeFormDefinition``."""
    if p.get("excludeFormDefinition"):
        return dumps({k: v for k, v in public(table.rows[row_id]).items() if k != "formDefinition"})
    return table.json(row_id, _with_form, "info")


ENDPOINTS: list[Endpoint] = [
    paged_list(
        "offer.list",
        PERMISSION,
        "offer",
        (
            *SYNCED_CREATED,
            Param("applicationId", "uuid"),
            Param("offerStatus", "enum_list", choices=OFFER_STATUSES, min_items=1),
            Param("acceptanceStatus", "enum_list", choices=ACCEPTANCE_STATUSES, min_items=1),
            Param("approvalStatus", "enum_list", choices=APPROVAL_STATUSES, min_items=1),
        ),
        sync=True,
        accept=_accept,
        keys=by_field("applicationId", "applicationId"),
        render=_render,
    ),
    info(
        "offer.info",
        PERMISSION,
        "offer",
        "offerId",
        "offer_not_found",
        extra=(Param("excludeFormDefinition", "bool"),),
        render=_info,
    ),
]

__all__ = ["ENDPOINTS"]
