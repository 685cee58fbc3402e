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
)
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.offers import Offer, OfferSummary

__all__ = ["OFFERS_READ", "OfferEntities"]

#: The permission Ashby requires to read its offers module.
OFFERS_READ = "offersRead"


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
    )
