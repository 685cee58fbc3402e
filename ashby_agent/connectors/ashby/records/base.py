"""The base class of every Ashby record and the timestamp type that keeps Ashby's wire format."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

__all__ = ["AshbyRecord", "Timestamp"]


def _wire_timestamp(value: datetime) -> str:
    """Format like Ashby: milliseconds and ``Z`` for UTC (``2024-02-04T21:38:12.442Z``).

    Called once per timestamp of every dumped record: the common case (UTC, a fraction of a second) is
    sliced out of ``isoformat()``, which takes no ``timespec`` and is ~0.4 µs cheaper per call; the
    slice truncates to milliseconds exactly as ``timespec="milliseconds"`` does.
    """
    text = value.isoformat()
    if len(text) == 32 and text.endswith("+00:00"):  # YYYY-MM-DDTHH:MM:SS.ffffff+00:00
        return text[:23] + "Z"
    text = value.isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


Timestamp = Annotated[datetime, PlainSerializer(_wire_timestamp, return_type=str, when_used="json")]
"""An ISO-8601 instant; parsed to an aware ``datetime``, written back in Ashby's millisecond form."""


class AshbyRecord(BaseModel):
    """Base of every record returned by Ashby.

    Attributes are snake_case; the wire keys are camelCase aliases. Unknown keys Ashby adds later are
    kept (``model_extra``) instead of failing. ``model_dump(mode="json")`` gives snake_case keys;
    ``model_dump(mode="json", by_alias=True)`` gives Ashby's wire form, and adding
    ``exclude_unset=True`` also keeps omitted keys omitted (Ashby distinguishes omitted from null).
    Schemas are built on first use (``defer_build``) so importing ~90 models stays cheap.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        frozen=False,
        defer_build=True,
    )
