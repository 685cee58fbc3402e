"""API Keys module reads (reference §1.5, §4.10): ``apiKey.info`` and ``webhook.info``."""

from __future__ import annotations

from .handlers import Ctx, Endpoint, Params, dumps, info, ok
from .store import Record, Table, public


def _api_key(ctx: Ctx, _p: Params) -> bytes:
    key = ctx.key
    return ok(dumps({"title": key.title, "createdAt": key.created_at, "scopes": list(key.scopes)}))


def _webhook(_ctx: Ctx, table: Table, row_id: str, _p: Params) -> bytes:
    """Never the secret token."""
    record: Record = public(table.rows[row_id])
    record.pop("secretToken", None)
    return dumps(record)


ENDPOINTS: list[Endpoint] = [
    Endpoint("apiKey.info", "apiKeysRead", (), _api_key),
    info("webhook.info", "apiKeysRead", "webhook", "webhookId", "webhook_not_found", render=_webhook),
]

__all__ = ["ENDPOINTS"]
