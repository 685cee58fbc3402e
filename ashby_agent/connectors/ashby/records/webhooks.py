"""Webhook subscriptions: where Ashby posts its events."""

from pydantic import Field, SecretStr

from .base import AshbyRecord

__all__ = ["DeletedWebhook", "Webhook"]


class Webhook(AshbyRecord):
    """A webhook subscription (``webhook.info``, ``webhook.create``, ``webhook.update``)."""

    id: str = Field(description="Webhook id (UUID).")
    enabled: bool | None = Field(None, description="Whether deliveries are sent.")
    request_url: str | None = Field(None, description="URL deliveries are POSTed to.")
    webhook_type: str | None = Field(
        None, description="Event type, e.g. applicationSubmit, candidateHire, offerCreate."
    )
    secret_token: SecretStr | None = Field(
        None, description="Signing secret (only in webhook.create results; never shown in repr or dumps)."
    )


class DeletedWebhook(AshbyRecord):
    """The acknowledgement of ``webhook.delete``."""

    webhook_id: str = Field(description="Id of the deleted webhook.")
