"""The JSON bodies of the hosted API, declared once and shared by the service and its client.

The service validates requests, serializes responses and renders ``/openapi.json`` from these models (so
the document cannot drift from what the handlers do); hosted-mode clients speak the same shapes.
Requests are strict (no type coercion) and reject unknown fields, so a typo is a 422 naming the field
instead of a silently ignored option. Credentials are ``SecretStr`` from the moment they are parsed.
This module imports only pydantic and the standard library.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

__all__ = [
    "ASHBY_DEFINITION_ID",
    "ConnectorCheckOut",
    "ConnectorCreate",
    "ConnectorList",
    "ConnectorOut",
    "ConnectorUpdate",
    "ErrorBody",
    "ExecuteOut",
    "ExecuteRequest",
    "InspectOut",
    "ReplicationConfig",
    "ScopedTokenInfo",
    "ScopedTokenOut",
    "ScopedTokenRequest",
    "TokenOut",
    "TokenRequest",
    "WorkspaceList",
    "WorkspaceOut",
    "WorkspaceUpdate",
]

#: Ashby's connector definition id: the ``definition_id`` of every connector the service hosts.
ASHBY_DEFINITION_ID: Final = "4e8c9fa0-3634-499b-b948-11581b5c3efa"

_START_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class _Request(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, hide_input_in_errors=True, str_strip_whitespace=True
    )


NameStr = Annotated[str, Field(min_length=1, max_length=200)]


# --------------------------------------------------------------------------- errors


class ErrorItemOut(BaseModel):
    field: str | None = Field(description="The input at fault (body field, param, header), if any.")
    message: str
    error_code: str = Field(description="Stable machine-readable code; Ashby's own code for Ashby errors.")


class ErrorBody(BaseModel):
    """Every error response."""

    message: str
    errors: list[ErrorItemOut]


# --------------------------------------------------------------------------- tokens


class TokenRequest(_Request):
    client_id: str = Field(min_length=1, max_length=100)
    client_secret: SecretStr = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")
    organization_id: str


class ScopedTokenRequest(_Request):
    workspace_name: NameStr


class ScopedTokenOut(BaseModel):
    token: str
    expires_in: int


class ScopedTokenInfo(BaseModel):
    organization_id: str
    workspace_id: str
    workspace_name: str


# --------------------------------------------------------------------------- workspaces


class WorkspaceOut(BaseModel):
    id: str
    name: str
    organization_id: str
    status: Literal["active", "inactive"]
    cache_enabled: bool
    created_at: datetime
    updated_at: datetime


class WorkspaceList(BaseModel):
    data: list[WorkspaceOut]
    next: str | None = Field(description="URL of the next page; null on the last page.")


class WorkspaceUpdate(_Request):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: Literal["active", "inactive"] | None = None
    cache_enabled: bool | None = None


# --------------------------------------------------------------------------- connectors


class ReplicationConfig(_Request):
    start_date: str = Field(description="YYYY-MM-DDTHH:MM:SSZ, the date replication starts from.")

    @field_validator("start_date")
    @classmethod
    def _utc_timestamp(cls, value: str) -> str:
        if not _START_DATE.match(value):
            raise ValueError("start_date must look like 2024-01-31T00:00:00Z (YYYY-MM-DDTHH:MM:SSZ)")
        try:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ValueError("start_date is not a real date and time (e.g. 2024-01-31T00:00:00Z)") from None
        return value


class ConnectorCreate(_Request):
    """Also the body of ``POST /integrations/connectors/check``."""

    workspace_name: NameStr
    connector_type: str | None = Field(
        default=None, description="'Ashby' (any case) or Ashby's definition id."
    )
    definition_id: str | None = Field(default=None, description=ASHBY_DEFINITION_ID)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    credentials: dict[str, SecretStr] = Field(description='{"api_key": "<Ashby API key>"}')
    replication_config: ReplicationConfig | None = None


class ConnectorUpdate(_Request):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    credentials: dict[str, SecretStr] | None = Field(default=None, description="New credentials (rotation).")
    replication_config: ReplicationConfig | None = None


class ReplicationConfigOut(BaseModel):
    start_date: str


class ConnectorOut(BaseModel):
    id: str
    name: str
    workspace_id: str
    workspace_name: str
    connector_type: Literal["Ashby"] = "Ashby"
    definition_id: str
    replication_config: ReplicationConfigOut | None
    created_at: datetime
    updated_at: datetime


class ConnectorList(BaseModel):
    data: list[ConnectorOut]


class ConnectorCheckOut(BaseModel):
    status: Literal["succeeded", "failed"]
    error_message: str | None = None


class CacheEntityReadiness(BaseModel):
    entity: str
    status: Literal["not_synced", "syncing", "ready", "failed"]
    ready_for_search: bool
    entity_count: int
    updated_at: datetime | None


class ContextStoreReadiness(BaseModel):
    configured_cache_entities: list[CacheEntityReadiness]


class InspectOut(BaseModel):
    connector_id: str
    connector_type: Literal["Ashby"] = "Ashby"
    workspace_id: str
    cache_enabled: bool
    context_store_readiness: ContextStoreReadiness


# --------------------------------------------------------------------------- execute


class ExecuteRequest(_Request):
    entity: str = Field(min_length=1, max_length=100, description="Catalog entity, e.g. candidates.")
    action: str = Field(min_length=1, max_length=50, description="list, get, api_search.")
    params: dict[str, Any] | None = Field(
        default=None, description="The operation's params (see the catalog)."
    )
    select_fields: list[str] | None = Field(default=None, description="Keep only these record fields.")
    exclude_fields: list[str] | None = Field(default=None, description="Drop these record fields.")
    skip_truncation: bool = Field(default=False, description="Return long strings in full.")
    intent: str | None = Field(default=None, max_length=500, description="Why the call is made (audited).")


class ConnectorMetadata(BaseModel):
    cursor: str | None
    has_more: bool
    sync_token: str | None


class ExecutionMetadata(BaseModel):
    connector_instance_id: str
    execution_time_ms: int


class ExecuteOut(BaseModel):
    status: Literal["success"] = "success"
    result: list[dict[str, Any]] | dict[str, Any] = Field(
        description="Array for list, object for get, {data, meta} for api_search; records in Ashby's "
        "camelCase wire form."
    )
    connector_metadata: ConnectorMetadata
    execution_metadata: ExecutionMetadata
