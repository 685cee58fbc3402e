"""Webhook subscriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.api_keys import API_KEYS_READ
from ashby_agent.connectors.ashby.operation import Entity, EntityGroup, Operation, id_param, ref_param
from ashby_agent.connectors.ashby.params import Param, ParamType

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.webhooks import Webhook

__all__ = ["WebhookEntities"]

API_KEYS_WRITE = "apiKeysWrite"
#: The event types a webhook subscribes to.
WEBHOOK_TYPES = (
    "applicationSubmit",
    "applicationUpdate",
    "candidateHire",
    "candidateStageChange",
    "candidateDelete",
    "candidateMerge",
    "interviewPlanTransition",
    "interviewScheduleCreate",
    "interviewScheduleUpdate",
    "jobPostingUpdate",
    "jobPostingPublish",
    "jobPostingUnpublish",
    "offerCreate",
    "offerUpdate",
    "offerDelete",
    "pushToHRIS",
    "surveySubmit",
)
_WEBHOOK = ref_param("webhookId", "webhooks", "webhook")
_URL = Param("requestUrl", ParamType.STRING, "The HTTPS URL Ashby posts the events to.")
_SECRET = Param("secretToken", ParamType.STRING, "The secret Ashby signs each delivery with.", secret=True)


class WebhookEntities(EntityGroup):
    """The entities of Ashby's webhooks module."""

    webhooks: Entity[Webhook, Webhook] = Entity(
        "Webhook subscriptions (never includes the secret).",
        Operation(
            "get",
            "webhook.info",
            API_KEYS_READ,
            "One webhook.",
            (id_param("webhookId", "webhook", aliases=("id",)),),
        ),
        Operation(
            "create",
            "webhook.create",
            API_KEYS_WRITE,
            "Subscribe a URL to one event type.",
            (
                Param("webhookType", ParamType.ENUM, "The event type.", required=True, choices=WEBHOOK_TYPES),
                Param(_URL.name, _URL.type, _URL.description, required=True),
                Param(_SECRET.name, _SECRET.type, _SECRET.description, required=True, secret=True),
            ),
            access="write",
        ),
        Operation(
            "update",
            "webhook.update",
            API_KEYS_WRITE,
            "Turn a webhook on or off, or change its URL or secret.",
            (_WEBHOOK, Param("enabled", ParamType.BOOLEAN, "Whether deliveries are sent."), _URL, _SECRET),
            one_of=("enabled", "requestUrl", "secretToken"),
            access="write",
            idempotent=True,
        ),
        Operation(
            "delete",
            "webhook.delete",
            API_KEYS_WRITE,
            "Delete a webhook subscription.",
            (_WEBHOOK,),
            access="write",
            destructive=True,
            idempotent=True,
            returns="webhooks:DeletedWebhook",
        ),
    )
