"""A listed page as the store writes it: each record's JSON text as Ashby sent it, and the few keys the
store's columns take from it (id, instants, archived).

A record is stored as its document, so decoding a page into dicts only to encode every record again is
work for nothing: it cost a sync ~0.8 ms of CPU per page of 100, and the dicts (thousands per page,
waiting between the walk and the store) reached the cyclic collector's older generations, whose
collections rescanned them. Here msgspec splits the page's bytes into one slice per record and reads
those keys alone, in C; a record's values are decoded only where they are needed (the words and facets
of a later pass, a page of dicts given by a caller).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import msgspec
import orjson

from ashby_agent.errors import MalformedResponseError
from ashby_agent.undecoded import Records

__all__ = ["WirePage", "WireRecord"]


class WireRecord(NamedTuple):
    """One record to store."""

    record_id: str
    #: The record's JSON text.
    document: str
    created_at: str | None
    updated_at: str | None
    archived: bool


class _Keys(msgspec.Struct):
    """The keys of a record that the store's columns hold (any type: checked here, not by msgspec)."""

    id: Any = None
    createdAt: Any = None
    updatedAt: Any = None
    isArchived: Any = None
    status: Any = None


_KEYS = msgspec.json.Decoder(list[_Keys])
_SLICES = msgspec.json.Decoder(list[msgspec.Raw])


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _record(
    record_id: str, document: str, created_at: Any, updated_at: Any, is_archived: Any, status: Any
) -> WireRecord:
    """A record's row fields from its keys, however they were read (archived: ``isArchived``, or an
    application's ``Archived`` status)."""
    return WireRecord(
        record_id,
        document,
        _text(created_at),
        _text(updated_at),
        is_archived is True or status == "Archived",
    )


def _no_id(entity: str) -> MalformedResponseError:
    return MalformedResponseError(f"Ashby returned a {entity} record without an id; it cannot be stored.")


class WirePage:
    """The records of one page, in the order listed (a later copy of an id wins when stored)."""

    __slots__ = ("_values", "records")

    def __init__(self, records: list[WireRecord], values: list[dict[str, Any]] | None = None) -> None:
        self.records = records
        self._values = values

    @classmethod
    def from_results(cls, results: Records | Sequence[Any], entity: str) -> WirePage:
        """A list answer's records, as bytes (split, never decoded whole) or as decoded values; raises
        :class:`~ashby_agent.errors.MalformedResponseError` for a record that is not an object with a
        text id."""
        if not isinstance(results, Records):
            return cls.from_values(results, entity)
        try:
            keys = _KEYS.decode(results.raw)
        except msgspec.ValidationError:  # an item is not an object: the values say which
            return cls.from_values(orjson.loads(results.raw), entity)
        slices = _SLICES.decode(results.raw)
        records = []
        for key, piece in zip(keys, slices, strict=True):
            if not isinstance(key.id, str):
                raise _no_id(entity)
            document = str(memoryview(piece), "utf-8")
            records.append(
                _record(key.id, document, key.createdAt, key.updatedAt, key.isArchived, key.status)
            )
        return cls(records)

    @classmethod
    def from_values(cls, values: Sequence[Any], entity: str) -> WirePage:
        """Decoded records (each encoded once here)."""
        records = []
        for value in values:
            if not isinstance(value, dict) or not isinstance(value.get("id"), str):
                raise _no_id(entity)
            records.append(
                _record(
                    value["id"],
                    orjson.dumps(value).decode(),
                    value.get("createdAt"),
                    value.get("updatedAt"),
                    value.get("isArchived"),
                    value.get("status"),
                )
            )
        return cls(records, list(values))

    def created_since(self, start: str) -> WirePage:
        """The records created at or after ``start`` (``YYYY-MM-DDTHH:MM:SS``, UTC); one without a
        creation instant is kept."""
        kept = [
            index
            for index, record in enumerate(self.records)
            if record.created_at is None or record.created_at[:19] >= start
        ]
        if len(kept) == len(self.records):
            return self
        values = self._values
        return WirePage(
            [self.records[i] for i in kept], None if values is None else [values[i] for i in kept]
        )

    def values(self) -> list[dict[str, Any]]:
        """The records decoded (once)."""
        if self._values is None:
            self._values = [orjson.loads(record.document) for record in self.records]
        return self._values

    def __len__(self) -> int:
        return len(self.records)
