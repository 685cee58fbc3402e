"""``POST /webhooks/ashby/{connector_id}``: Ashby's webhook deliveries, applied to the context store.

No bearer token: Ashby signs each delivery (``Ashby-Signature: sha256=<hex HMAC-SHA256 of the raw
body>``) with the connector's secret, compared in constant time. An unknown connector and a wrong
signature get the same 401, so the receiver reveals nothing. Each ``webhookActionId`` is applied once
(retried deliveries are acknowledged and ignored); deletions and merges are applied at once, other events
refresh the entities they changed with an incremental sync.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

import orjson
from starlette.responses import Response

from ashby_agent.service.api.routing import Call, Endpoint, reply
from ashby_agent.service.exceptions import ServiceError
from ashby_agent.service.security.crypto import CredentialDecryptError
from ashby_agent.service.store import connectors
from ashby_agent.store.webhooks import apply_event
from ashby_agent.wire import WebhookReceipt

__all__ = ["ENDPOINTS", "signature"]

SIGNATURE_HEADER: Final = "Ashby-Signature"
#: Compared against when the connector has no secret, so both paths do the same work.
_NO_SECRET: Final = secrets.token_bytes(32)


def signature(secret: str | bytes, body: bytes) -> str:
    """The ``Ashby-Signature`` value for ``body``."""
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def _refused() -> ServiceError:
    return ServiceError(
        401,
        f"The {SIGNATURE_HEADER} header does not match this connector's webhook secret.",
        code="invalid_signature",
        field=SIGNATURE_HEADER,
    )


async def receive_ashby_webhook(call: Call) -> Response:
    connector_id = call.path("connector_id")
    raw = await call.request.body()
    encrypted = await call.state.run(lambda c: connectors.webhook_secret(c, connector_id))
    key: bytes = _NO_SECRET
    if encrypted is not None:
        try:
            key = call.state.keyring.decrypt_text(encrypted).encode()
        except CredentialDecryptError:
            key = _NO_SECRET
    given = call.request.headers.get(SIGNATURE_HEADER, "")
    if not hmac.compare_digest(signature(key, raw).encode(), given.strip().encode()) or key is _NO_SECRET:
        raise _refused()
    try:
        event = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ServiceError.bad_request(
            "The webhook body is not valid JSON.", code="malformed_json", field="body"
        ) from None
    outcome = await call.state.store.run(lambda c: apply_event(c, connector_id, event))
    if outcome.applied and outcome.refresh:
        await call.state.syncs.refresh(connector_id, outcome.refresh)
    return reply(
        WebhookReceipt(action=outcome.action, applied=outcome.applied, refreshing=list(outcome.refresh))
    )


ENDPOINTS = (
    Endpoint(
        "POST",
        "/webhooks/ashby/{connector_id}",
        receive_ashby_webhook,
        "public",
        "Extension: receive an Ashby webhook for this connector (signed with its secret, no bearer token).",
        response=WebhookReceipt,
        errors=(400, 401, 404, 413, 422),
    ),
)
