"""Typed records for Ashby's objects and the connector's auth config.

Every record derives from ``AshbyRecord``: snake_case attributes over camelCase wire keys, ISO
timestamps as aware ``datetime``, ``YYYY-MM-DD`` dates as ``date``, enum-valued fields as ``str`` (their
known values are in the field descriptions; Ashby adds values), unknown new keys kept as extras.
``model_dump(mode="json")`` gives snake_case keys; ``by_alias=True`` gives Ashby's wire form.

    from ashby_agent.connectors.ashby.models import AshbyAuthConfig, Candidate

This module defines ``AshbyAuthConfig``. The records are defined in ``records/<module>.py``, one module
per Ashby module plus ``base`` and ``common`` (shared pieces), each naming its records in ``__all__``. A
record name is resolved here on first access by searching ``RECORD_MODULES`` in order, and ``__all__`` is
the union of theirs.
"""

# Type checkers read the record names through the star imports below.
# ruff: noqa: F403

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

if TYPE_CHECKING:
    from .records.api_keys import *
    from .records.applications import *
    from .records.approvals import *
    from .records.base import *
    from .records.candidates import *
    from .records.common import *
    from .records.files import *
    from .records.interviews import *
    from .records.jobs import *
    from .records.metadata import *
    from .records.offers import *
    from .records.organization import *
    from .records.projects import *
    from .records.webhooks import *

#: The ``records`` modules, in the order a record name is searched for: the shared pieces, then the
#: Ashby modules. Each module's ``__all__`` names what it defines.
RECORD_MODULES: tuple[str, ...] = (
    "base",
    "common",
    "api_keys",
    "candidates",
    "applications",
    "jobs",
    "organization",
    "metadata",
    "interviews",
    "offers",
    "approvals",
    "projects",
    "files",
    "webhooks",
)


def _records(module: str) -> Any:
    return import_module(f"{__package__}.records.{module}")


def __getattr__(name: str) -> Any:
    if name == "__all__":
        exported = {record for module in RECORD_MODULES for record in _records(module).__all__}
        value: Any = sorted({"AshbyAuthConfig", *exported})
    elif name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        for module in RECORD_MODULES:
            records = _records(module)
            if name in records.__all__:
                value = getattr(records, name)
                break
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    public: list[str] = globals().get("__all__") or __getattr__("__all__")
    return sorted({*globals(), *public})


class AshbyAuthConfig(BaseModel):
    """Credentials for Ashby's API: an API key sent as the HTTP Basic username.

    The key is a ``SecretStr``: ``repr``, ``str`` and ``model_dump_json`` show ``'**********'``; read it
    with ``config.api_key.get_secret_value()``. Surrounding whitespace is stripped; a blank key is
    rejected, and validation errors never echo the input.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True, defer_build=True)

    api_key: SecretStr = Field(description="Ashby API key (Admin → Integrations → API Keys).")

    @field_validator("api_key")
    @classmethod
    def _strip_and_require(cls, value: SecretStr) -> SecretStr:
        key = value.get_secret_value().strip()
        if not key:
            raise ValueError(
                "the Ashby API key is empty; pass the key created in Ashby under Admin → API Keys"
            )
        return SecretStr(key)
