"""Webhook settings: ``webhook.info`` (API Keys read) and ``webhook.create/update/delete`` (API Keys write).

One webhook per event type and URL (several may share a type, to fan out). ``secretToken`` is the
HMAC key deliveries are signed with: the writes return it, ``webhook.info`` never does. What is sent
and when is ``ashby_agent.sandbox.webhooks``.
"""

from __future__ import annotations

from typing import Any

from ..params import InvalidInput, Param, is_http_url
from ..store import Record, Store, Table
from .endpoint import ApiError, Ctx, Endpoint, Params, dumps, not_found, ok
from .shapes import info

#: Event types ``webhook.create`` accepts: the ones Ashby lists for it, plus those its payload
#: documentation describes (``jobCreate``, ``jobUpdate``, ``openingCreate``, ``signatureRequestUpdate``),
#: so that every event the sandbox sends can be subscribed to. ``ping`` goes to any webhook.
WEBHOOK_TYPES = (
    "applicationSubmit", "applicationUpdate", "candidateHire", "candidateStageChange", "candidateDelete",
    "candidateMerge", "interviewPlanTransition", "interviewScheduleCreate", "interviewScheduleUpdate",
    "jobPostingUpdate", "jobPostingPublish", "jobPostingUnpublish", "offerCreate", "offerUpdate",
    "offerDelete", "pushToHRIS", "surveySubmit", "jobCreate", "jobUpdate", "openingCreate",
    "signatureRequestUpdate",
)  # fmt: skip
#: The keys of a Webhook on the wire, in order (``secretToken`` only in the writes' answers).
FIELDS = ("id", "enabled", "requestUrl", "secretToken", "webhookType")
MAX_URL_CHARS = 2048
READ, WRITE = "apiKeysRead", "apiKeysWrite"
_WEBHOOK_ID = Param("webhookId", "uuid", required=True)


def _shown(record: Record, *, secret: bool) -> bytes:
    kept = FIELDS if secret else tuple(name for name in FIELDS if name != "secretToken")
    return dumps({name: record[name] for name in kept if name in record})


def _request_url(value: str) -> str:
    """An absolute http(s) URL with a host, as Ashby must be able to POST to it."""
    if not is_http_url(value) or len(value) > MAX_URL_CHARS:
        shown = value if len(value) <= 80 else value[:80] + "…"
        raise InvalidInput(
            f'"requestUrl" must be an absolute http or https URL (at most {MAX_URL_CHARS} characters), '
            f"such as https://example.org/ashby-webhooks; got {shown!r}",
            "requestUrl",
        )
    return value


def _secret(p: Params) -> str | None:
    secret = p.get("secretToken")
    if secret is not None and not secret:
        raise InvalidInput(
            '"secretToken" must be a non-empty string (omit it for unsigned deliveries)', "secretToken"
        )
    return secret


def _refuse_duplicate(store: Store, webhook_type: str, url: str, own_id: str | None) -> None:
    for row_id, row in store.table("webhook").rows.items():
        if row_id != own_id and row.get("webhookType") == webhook_type and row.get("requestUrl") == url:
            raise ApiError(
                "webhook_already_exists",
                f"A webhook for {webhook_type} at this requestUrl already exists ({row_id}); "
                "change it with webhook.update or pick another URL.",
                meta={"webhookId": row_id},
            )


def _create(ctx: Ctx, p: Params) -> bytes:
    url, secret = _request_url(p["requestUrl"]), _secret(p)
    record: dict[str, Any] = {"enabled": True, "requestUrl": url, "webhookType": p["webhookType"]}
    if secret is not None:
        record["secretToken"] = secret
    with ctx.store.lock:
        _refuse_duplicate(ctx.store, p["webhookType"], url, None)
        return ok(_shown(ctx.store.create("webhook", record), secret=True))


def _existing(ctx: Ctx, webhook_id: str) -> Record:
    record = ctx.store.table("webhook").rows.get(webhook_id)
    if record is None:
        raise not_found("webhook_not_found", "Webhook")
    return record


def _update(ctx: Ctx, p: Params) -> bytes:
    changes: dict[str, Any] = {
        name: p[name] for name in ("enabled", "requestUrl", "secretToken") if name in p
    }
    if not changes:
        raise InvalidInput(
            "Send at least one of enabled, requestUrl, secretToken with webhookId", "webhookId"
        )
    if "requestUrl" in changes:
        _request_url(changes["requestUrl"])
    _secret(p)
    with ctx.store.lock:
        current = _existing(ctx, p["webhookId"])
        url = changes.get("requestUrl", current.get("requestUrl"))
        _refuse_duplicate(ctx.store, str(current.get("webhookType")), str(url), p["webhookId"])
        return ok(_shown(ctx.store.update("webhook", p["webhookId"], changes), secret=True))


def _delete(ctx: Ctx, p: Params) -> bytes:
    with ctx.store.lock:
        _existing(ctx, p["webhookId"])
        ctx.store.delete("webhook", p["webhookId"])
    return ok(dumps({"webhookId": p["webhookId"]}))


def _info(_ctx: Ctx, table: Table, row_id: str, _p: Params) -> bytes:
    return _shown(table.rows[row_id], secret=False)


ENDPOINTS: list[Endpoint] = [
    info("webhook.info", READ, "webhook", "webhookId", "webhook_not_found", render=_info),
    Endpoint(
        "webhook.create",
        WRITE,
        (
            Param("webhookType", "enum", required=True, choices=WEBHOOK_TYPES),
            Param("requestUrl", "str", required=True),
            Param("secretToken", "str"),
        ),
        _create,
    ),
    Endpoint(
        "webhook.update",
        WRITE,
        (_WEBHOOK_ID, Param("enabled", "bool"), Param("requestUrl", "str"), Param("secretToken", "str")),
        _update,
    ),
    Endpoint("webhook.delete", WRITE, (_WEBHOOK_ID,), _delete),
]

__all__ = ["ENDPOINTS", "FIELDS", "WEBHOOK_TYPES"]
