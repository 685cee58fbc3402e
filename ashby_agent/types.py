"""Auth configs shared by local and hosted mode (code written for the Airbyte agent connector API imports
``AirbyteAuthConfig`` from here)."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["AirbyteAuthConfig"]

CLIENT_ID_ENV = "AIRBYTE_CLIENT_ID"
CLIENT_SECRET_ENV = "AIRBYTE_CLIENT_SECRET"
ORGANIZATION_ENV = "AIRBYTE_ORGANIZATION_ID"
SERVICE_URL_ENV = "ASHBY_AGENT_API_URL"
DEFAULT_SERVICE_URL = "http://127.0.0.1:8000"
_CREDENTIAL_ENV = {"airbyte_client_id": CLIENT_ID_ENV, "airbyte_client_secret": CLIENT_SECRET_ENV}


class AirbyteAuthConfig(BaseModel):
    """Credentials for hosted mode: an API client of the ashby-agent service and the end customer's workspace.

    Missing ``airbyte_client_id`` / ``airbyte_client_secret`` / ``organization_id`` are read from
    ``AIRBYTE_CLIENT_ID`` / ``AIRBYTE_CLIENT_SECRET`` / ``AIRBYTE_ORGANIZATION_ID``; the service URL from
    ``ASHBY_AGENT_API_URL`` (default ``http://127.0.0.1:8000``). Secrets are ``SecretStr``: never shown.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    workspace_name: str | None = Field(None, description="The end customer's workspace.")
    organization_id: str | None = Field(None, description="Needed when the client belongs to several orgs.")
    airbyte_client_id: SecretStr | None = Field(None, description="API client id of the hosted service.")
    airbyte_client_secret: SecretStr | None = Field(
        None, description="API client secret of the hosted service."
    )
    connector_id: str | None = Field(None, description="Use this connector instead of looking it up.")
    api_url: str | None = Field(None, description="Base URL of the hosted service.")

    @model_validator(mode="after")
    def _fill_from_environment(self) -> AirbyteAuthConfig:
        values = {
            "airbyte_client_id": self.airbyte_client_id or _env_secret(CLIENT_ID_ENV),
            "airbyte_client_secret": self.airbyte_client_secret or _env_secret(CLIENT_SECRET_ENV),
            "organization_id": self.organization_id or os.environ.get(ORGANIZATION_ENV) or None,
            "api_url": (self.api_url or os.environ.get(SERVICE_URL_ENV) or DEFAULT_SERVICE_URL).rstrip("/"),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        # Named by their environment variables: that is what people set.
        missing = [env for name, env in _CREDENTIAL_ENV.items() if values[name] is None]
        if missing:
            # A custom error renders its message as is (a ValueError would read "Value error, ...").
            raise PydanticCustomError(
                "missing_credentials",
                f"Hosted mode needs an API client of the ashby-agent service: set {CLIENT_ID_ENV} and "
                f"{CLIENT_SECRET_ENV} (or pass airbyte_client_id / airbyte_client_secret); "
                f"missing: {', '.join(missing)}.",
            )
        return self

    @property
    def client_id(self) -> str:
        assert self.airbyte_client_id is not None  # guaranteed by the validator
        return self.airbyte_client_id.get_secret_value()

    @property
    def client_secret(self) -> str:
        assert self.airbyte_client_secret is not None
        return self.airbyte_client_secret.get_secret_value()


def _env_secret(name: str) -> SecretStr | None:
    value = os.environ.get(name, "").strip()
    return SecretStr(value) if value else None
