"""API Keys module reads: ``apiKey.info``, the calling key's title and scopes."""

from __future__ import annotations

from .endpoint import Ctx, Endpoint, Params, dumps, ok


def _api_key(ctx: Ctx, _p: Params) -> bytes:
    key = ctx.key
    return ok(dumps({"title": key.title, "createdAt": key.created_at, "scopes": list(key.scopes)}))


ENDPOINTS: list[Endpoint] = [
    Endpoint("apiKey.info", "apiKeysRead", (), _api_key),
]

__all__ = ["ENDPOINTS"]
