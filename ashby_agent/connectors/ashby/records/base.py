"""The base class of every Ashby record and the timestamp type that keeps Ashby's wire format."""

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel
from pydantic_core import TzInfo

__all__ = ["AshbyRecord", "Timestamp"]

_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))
_MILLIS = tuple(f".{n:03d}Z" for n in range(1000))
#: ``YYYY-MM-DDT`` per day seen (bounded): a page's timestamps share few days.
_DAYS: dict[date, str] = {}
#: pydantic-core's UTC zone (one object for every parsed ``...Z``/``+00:00``), learnt on first sight.
_core_utc: tzinfo = UTC


def _wire_timestamp(value: datetime) -> str:
    """Format like Ashby: milliseconds and ``Z`` for UTC (``2024-02-04T21:38:12.442Z``).

    Called from pydantic-core once per timestamp of every dumped record. ``isoformat()`` costs ~3x the
    rest of a dump's per-timestamp work (it asks the zone for its offset through pydantic-core's
    ``TzInfo``), so UTC values (the zone pydantic-core parsed, or ``datetime.UTC``) are assembled from
    their fields and lookup tables; the milliseconds are truncated, as ``timespec="milliseconds"`` does.
    """
    global _core_utc
    zone = value.tzinfo
    if zone is _core_utc or zone is UTC:
        day = value.date()
        prefix = _DAYS.get(day)
        if prefix is None:
            if len(_DAYS) >= 4096:
                _DAYS.clear()
            prefix = _DAYS[day] = f"{day.isoformat()}T"
        two = _TWO_DIGITS
        return (
            f"{prefix}{two[value.hour]}:{two[value.minute]}:{two[value.second]}"
            f"{_MILLIS[value.microsecond // 1000]}"
        )
    if type(zone) is TzInfo and zone.utcoffset(None) == timedelta(0):  # a fixed offset of zero
        _core_utc = zone
        return _wire_timestamp(value)
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
