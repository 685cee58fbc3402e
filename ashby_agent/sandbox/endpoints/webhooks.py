"""Webhook reads (reference §4.10): ``webhook.info``, under the API Keys module's permission."""

from __future__ import annotations

from ..store import Record, Table, public
from .endpoint import Ctx, Endpoint, Params, dumps
from .shapes import info


def _webhook(_ctx: Ctx, table: Table, row_id: str, _p: Params) -> bytes:
    """Never the secret token."""
    record: Record = public(table.rows[row_id])
    record.pop("secretToken", None)
    return dumps(record)


ENDPOINTS: list[Endpoint] = [
    info("webhook.info", "apiKeysRead", "webhook", "webhookId", "webhook_not_found", render=_webhook),
]

__all__ = ["ENDPOINTS"]
