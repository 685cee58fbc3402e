"""The JSON bodies of the hosted API, declared once and shared by the service and its client.

The service validates requests, serializes responses and renders ``/openapi.json`` from these models (so
the document cannot drift from what the handlers do); hosted-mode clients speak the same shapes.
Requests are strict (no type coercion) and reject unknown fields, so a typo is a 422 naming the field
instead of a silently ignored option. Credentials are ``SecretStr`` from the moment they are parsed.
This module imports only pydantic and the standard library.

Text rules, decided once for every string a request carries into the service: no control characters
(NUL included: PostgreSQL cannot store it, and no name or id needs one; free text such as ``intent``
may hold tabs and line breaks), names and ids not blank, and length limits counted on the string as sent.
Names are stored without surrounding whitespace. Each rule is a regular expression published in the
OpenAPI document (``pattern``) and enforced by the same expression, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    SecretStr,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

__all__ = [
    "API_KEY_MAX_LENGTH",
    "ASHBY_DEFINITION_ID",
    "CONNECTOR_TYPE_PATTERN",
    "ID_PATTERN",
    "LINE_PATTERN",
    "START_DATE_PATTERN",
    "TEXT_PATTERN",
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
    "control_character_free",
]

#: Ashby's connector definition id: the ``definition_id`` of every connector the service hosts.
ASHBY_DEFINITION_ID: Final = "4e8c9fa0-3634-499b-b948-11581b5c3efa"

# --------------------------------------------------------------------------- text rules

_CONTROL: Final = r"\u0000-\u001f\u007f-\u009f"
#: Control characters free text may hold: tab, line feed, carriage return.
_TEXT_CONTROL: Final = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
#: Whitespace that is not a control character (with the controls, exactly what ``str.strip`` removes).
_SPACE: Final = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

#: One line: no control characters and at least one character that is not whitespace.
LINE_PATTERN: Final = rf"^[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*$"
#: Free text: no control characters other than tab, line feed and carriage return.
TEXT_PATTERN: Final = rf"^[^{_TEXT_CONTROL}]*$"
#: The ids this service issues (workspaces, connectors, clients, organizations).
ID_PATTERN: Final = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

_HAS_CONTROL = re.compile(f"[{_CONTROL}]")
_HAS_TEXT_CONTROL = re.compile(f"[{_TEXT_CONTROL}]")


def _case_insensitive(text: str) -> str:
    """``text`` in any ASCII case (letters, digits and hyphens only: nothing to escape)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in text)


#: ``connector_type`` and ``definition_id``: 'Ashby' or Ashby's definition id, in any case.
CONNECTOR_TYPE_PATTERN: Final = f"^(?:{_case_insensitive('Ashby')}|{_case_insensitive(ASHBY_DEFINITION_ID)})$"
_CONNECTOR_TYPE = re.compile(CONNECTOR_TYPE_PATTERN)

#: ``YYYY-MM-DDTHH:MM:SSZ`` with every field in range (the calendar check is ``format: date-time``).
START_DATE_PATTERN: Final = (
    r"^(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
)
_START_DATE = re.compile(START_DATE_PATTERN)

API_KEY_MAX_LENGTH: Final = 500


def control_character_free(value: str, *, free_text: bool = False) -> bool:
    """No control characters (free text may hold tab, line feed and carriage return)."""
    return not (_HAS_TEXT_CONTROL if free_text else _HAS_CONTROL).search(value)


def _no_control(value: str) -> None:
    if not control_character_free(value):
        raise PydanticCustomError(
            "control_characters", "must not contain control characters (such as NUL, tab or line breaks)"
        )


def _line(value: str) -> str:
    """A name: checked as sent, stored without surrounding whitespace."""
    _no_control(value)
    stripped = value.strip()
    if not stripped:
        raise PydanticCustomError("empty", "must not be blank")
    return stripped


def _exact_line(value: str) -> str:
    """An identifier compared as sent (entity, action): the same rules, nothing stripped."""
    _line(value)
    return value


def _text(value: str) -> str:
    if not control_character_free(value, free_text=True):
        raise PydanticCustomError(
            "control_characters", "must not contain control characters other than tab and line breaks"
        )
    return value


@dataclass(frozen=True, slots=True)
class _Pattern:
    """Publishes the regular expression a validator enforces (``pattern`` in the JSON Schema)."""

    pattern: str

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


#: A workspace or connector name: one visible line of at most 200 characters (as sent).
NameStr = Annotated[
    str, StringConstraints(min_length=1, max_length=200), _Pattern(LINE_PATTERN), AfterValidator(_line)
]
ClientIdStr = Annotated[
    str, StringConstraints(min_length=1, max_length=100), _Pattern(LINE_PATTERN), AfterValidator(_line)
]
IntentStr = Annotated[str, StringConstraints(max_length=500), _Pattern(TEXT_PATTERN), AfterValidator(_text)]


def _api_key(value: SecretStr) -> SecretStr:
    key = value.get_secret_value()
    if len(key) > API_KEY_MAX_LENGTH:
        raise PydanticCustomError("string_too_long", f"must be at most {API_KEY_MAX_LENGTH} characters")
    _no_control(key)
    if not key.strip():
        raise PydanticCustomError("empty", "must not be blank")
    return SecretStr(key.strip())


_API_KEY_SCHEMA: Final = {
    "type": "string",
    "format": "password",
    "writeOnly": True,
    "minLength": 1,
    "maxLength": API_KEY_MAX_LENGTH,
    "pattern": LINE_PATTERN,
    "description": "The Ashby API key (stored encrypted, never returned).",
}
#: ``{"api_key": "<Ashby API key>"}``: exactly that key (anything else is a 400 naming the keys given).
Credentials = Annotated[
    dict[str, Annotated[SecretStr, AfterValidator(_api_key)]],
    WithJsonSchema(
        {
            "type": "object",
            "properties": {"api_key": _API_KEY_SCHEMA},
            "required": ["api_key"],
            "additionalProperties": False,
        }
    ),
]


def _connector_type(value: str) -> str:
    if not _CONNECTOR_TYPE.fullmatch(value):
        raise PydanticCustomError(
            "unknown_connector_type",
            f"this service hosts Ashby connectors only: use 'Ashby' or '{ASHBY_DEFINITION_ID}'",
        )
    return value


ConnectorTypeStr = Annotated[str, _Pattern(CONNECTOR_TYPE_PATTERN), AfterValidator(_connector_type)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, hide_input_in_errors=True)


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


def _secret(value: SecretStr) -> SecretStr:
    return SecretStr(value.get_secret_value().strip())


class TokenRequest(_Request):
    client_id: ClientIdStr
    #: Compared as given, less surrounding whitespace (a pasted secret often ends in a line break).
    client_secret: Annotated[SecretStr, Field(min_length=1, max_length=200), AfterValidator(_secret)]


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
    name: NameStr | None = None
    status: Literal["active", "inactive"] | None = None
    cache_enabled: bool | None = None


# --------------------------------------------------------------------------- connectors


def _whole_number(value: Any) -> Any:
    """JSON has one number type: ``30.0`` is the integer 30 (as JSON Schema says), ``30.5`` is not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class ReplicationConfig(_Request):
    start_date: Annotated[
        str,
        WithJsonSchema(
            {"type": "string", "format": "date-time", "pattern": START_DATE_PATTERN, "maxLength": 20}
        ),
    ] = Field(description="YYYY-MM-DDTHH:MM:SSZ, the date replication starts from.")
    refresh_minutes: Annotated[int, Field(ge=1, le=1440), BeforeValidator(_whole_number)] | None = Field(
        default=None,
        description="Minutes between scheduled syncs (default 5). An extension of this service.",
    )

    @field_validator("start_date")
    @classmethod
    def _utc_timestamp(cls, value: str) -> str:
        if not _START_DATE.fullmatch(value):
            raise ValueError("start_date must look like 2024-01-31T00:00:00Z (YYYY-MM-DDTHH:MM:SSZ)")
        try:
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ValueError("start_date is not a real date and time (e.g. 2024-01-31T00:00:00Z)") from None
        return value


def _one_of_connector_type(schema: dict[str, Any]) -> None:
    """State in the schema what the handler checks: at least one of the two fields, as a string."""
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in ("connector_type", "definition_id")
    ]


class ConnectorCreate(_Request):
    """Also the body of ``POST /integrations/connectors/check``. Give connector_type or definition_id."""

    model_config = ConfigDict(json_schema_extra=_one_of_connector_type)

    workspace_name: NameStr
    connector_type: ConnectorTypeStr | None = Field(
        default=None, description="'Ashby' (any case) or Ashby's definition id."
    )
    definition_id: ConnectorTypeStr | None = Field(default=None, description=ASHBY_DEFINITION_ID)
    name: NameStr | None = None
    credentials: Credentials
    replication_config: ReplicationConfig | None = None


class ConnectorUpdate(_Request):
    name: NameStr | None = None
    credentials: Credentials | None = Field(default=None, description="New credentials (rotation).")
    replication_config: ReplicationConfig | None = None


class ReplicationConfigOut(BaseModel):
    start_date: str
    #: Extension: minutes between scheduled syncs (left out when the service's default applies).
    refresh_minutes: int | None = Field(default=None, exclude_if=lambda value: value is None)


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
    #: Extensions: when the last pass completed, how long the last run took, why it failed.
    last_synced_at: datetime | None = None
    last_duration_ms: int | None = None
    error: str | None = None


class ContextStoreReadiness(BaseModel):
    configured_cache_entities: list[CacheEntityReadiness]


class WebhookSetupOut(BaseModel):
    """Extension: how Ashby's webhooks reach this connector's store."""

    #: The receiver's path under the service's public URL.
    url_path: str
    #: ``registered`` (the service created them in Ashby), ``failed`` or ``manual`` (configure by hand).
    status: Literal["registered", "failed", "manual"]
    instructions: str


class WebhookSecretOut(BaseModel):
    """Extension: a new webhook signing secret, shown once (the service keeps it encrypted)."""

    connector_id: str
    url_path: str
    secret: str


class SyncRequest(_Request):
    """Extension: what ``POST .../sync`` syncs (default: every replicated entity, incrementally)."""

    entities: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=100, description="Entities to sync (default: all replicated ones)."
    )
    full: bool = Field(default=False, description="Re-read the entities in full instead of incrementally.")


class WebhookReceipt(BaseModel):
    """Extension: the answer to an Ashby webhook delivery."""

    action: str
    #: False when this ``webhookActionId`` was applied before (a retried delivery).
    applied: bool
    refreshing: list[str]


class SyncAccepted(BaseModel):
    """Extension: a sync is queued or running (asking again while it is changes nothing)."""

    connector_id: str
    status: Literal["scheduled"] = "scheduled"


class InspectOut(BaseModel):
    connector_id: str
    connector_type: Literal["Ashby"] = "Ashby"
    workspace_id: str
    cache_enabled: bool
    context_store_readiness: ContextStoreReadiness
    webhooks: WebhookSetupOut | None = None


# --------------------------------------------------------------------------- execute


class ExecuteRequest(_Request):
    """The OpenAPI document narrows ``entity``, ``action``, ``params`` and the field lists per operation
    of the catalog (which this module cannot import); the handler enforces the same."""

    entity: Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_exact_line)] = (
        Field(description="Catalog entity, e.g. candidates.")
    )
    action: Annotated[str, StringConstraints(min_length=1, max_length=50), AfterValidator(_exact_line)] = (
        Field(description="list, get, api_search.")
    )
    params: dict[str, Any] | None = Field(
        default=None, description="The operation's params (see the catalog)."
    )
    select_fields: list[str] | None = Field(default=None, description="Keep only these record fields.")
    exclude_fields: list[str] | None = Field(default=None, description="Drop these record fields.")
    skip_truncation: bool = Field(default=False, description="Return long strings in full.")
    intent: IntentStr | None = Field(default=None, description="Why the call is made (audited).")


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
