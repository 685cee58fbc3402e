"""``GET /health``: liveness of the process and readiness of its database, for load balancers and
orchestrators. No authentication (a probe holds no credentials), no request data, nothing cached."""

from __future__ import annotations

import logging
from typing import Any, Final, Literal

import anyio
import anyio.to_thread
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ashby_agent.service.api.errors import json_response
from ashby_agent.service.state import ServiceState
from ashby_agent.service.store.db import ping

__all__ = ["OPENAPI_PATHS", "ROUTES", "HealthOut"]

PATH: Final = "/health"
#: A database that has not answered by then counts as unavailable (the probe must answer promptly).
_PING_TIMEOUT_SECONDS: Final = 5.0
_LOG = logging.getLogger("ashby_agent.service")


class HealthOut(BaseModel):
    """200 when every part answers, 503 otherwise."""

    status: Literal["ok", "unavailable"] = Field(description="ok when the service can serve requests.")
    database: Literal["ok", "unavailable"] = Field(description="Whether the database answered SELECT 1.")


async def _database_answers(state: ServiceState) -> bool:
    with anyio.move_on_after(_PING_TIMEOUT_SECONDS):
        try:
            await anyio.to_thread.run_sync(ping, state.engine, abandon_on_cancel=True)
        except Exception as exc:  # any driver error means "not ready"; the reason goes to the log only
            _LOG.warning("health: the database did not answer (%s)", type(exc).__name__)
            return False
        return True
    _LOG.warning("health: the database did not answer within %g s", _PING_TIMEOUT_SECONDS)
    return False


async def health(request: Request) -> Response:
    state: ServiceState = request.app.state.service
    ok = await _database_answers(state)
    word: Literal["ok", "unavailable"] = "ok" if ok else "unavailable"
    body = HealthOut(status=word, database=word)
    return json_response(body.model_dump(), 200 if ok else 503, {"Cache-Control": "no-store"})


def _response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _SCHEMA}}}


_SCHEMA: Final = HealthOut.model_json_schema()

ROUTES: Final = (Route(PATH, health, methods=["GET"], name="health"),)

#: The OpenAPI path item of ``/health`` (merged into ``/openapi.json`` by the app).
OPENAPI_PATHS: Final[dict[str, Any]] = {
    PATH: {
        "get": {
            "operationId": "health",
            "summary": "Liveness and database readiness. No authentication.",
            "description": "Answers without credentials: 200 when the database answers SELECT 1, "
            "503 when it does not (the process is alive but cannot serve requests).",
            "parameters": [],
            "security": [],
            "responses": {
                "200": _response("The service and its database answer."),
                "503": _response("The database does not answer."),
            },
        }
    }
}
