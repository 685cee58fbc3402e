"""Webhook subscriptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ashby_agent.connectors.ashby.catalog.api_keys import API_KEYS_READ
from ashby_agent.connectors.ashby.operation import Entity, EntityGroup, Operation, id_param

if TYPE_CHECKING:
    from ashby_agent.connectors.ashby.records.webhooks import Webhook

__all__ = ["WebhookEntities"]


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
    )
