"""Ashby's answer decoded except for its records, which stay the bytes Ashby sent.

A page that needs no projection, redaction or truncation is answered with Ashby's own bytes for its
records, so turning them into Python objects (and freeing them again) is work for nothing: for a page
of 100 candidates it was most of the service's CPU per request. :func:`decode_envelope` checks the
whole body's JSON syntax (msgspec, in C) while keeping each member of the envelope as its raw bytes,
then decodes the small members; ``results`` stays :class:`Records` until someone needs the values.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
import orjson

from ashby_agent.envelope import listed_results, single_result

__all__ = ["Records", "decode_envelope", "forwardable", "materialize"]

_MEMBERS: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ITEMS: Final = msgspec.json.Decoder(list[msgspec.Raw])


class Records:
    """An envelope's ``results`` as the bytes Ashby sent (syntax already checked)."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def __repr__(self) -> str:  # never the records themselves: they are the customer's data
        return f"Records({len(self.raw)} bytes)"


def decode_envelope(body: bytes) -> Any:
    """``body`` decoded, with a top-level ``results`` kept as :class:`Records`; anything that is not a
    valid JSON object (or not UTF-8) is decoded whole by orjson, which raises what it raises."""
    try:
        members = _MEMBERS.decode(body)
        if not body.isascii():
            body.decode("utf-8")  # msgspec does not check the strings it skips
    except (msgspec.DecodeError, UnicodeDecodeError):
        return orjson.loads(body)
    envelope: dict[str, Any] = {}
    for key, value in members.items():
        envelope[key] = Records(bytes(value)) if key == "results" else orjson.loads(memoryview(value))
    return envelope


def materialize(envelope: dict[str, Any]) -> dict[str, Any]:
    """``envelope`` with its records decoded (for the answers that must be shaped)."""
    results = envelope.get("results")
    if isinstance(results, Records):
        envelope["results"] = orjson.loads(results.raw)
    return envelope


def forwardable(
    envelope: dict[str, Any], endpoint: str, *, returns_list: bool, limit: int | None
) -> bytes | None:
    """The bytes of ``envelope``'s records when they can go out as sent: a list (for a ``get``, an
    object) in which no string can exceed ``limit`` characters (``None``: no limit); else ``None``, and
    the caller shapes them. A string's characters never outnumber its bytes, so only a record longer
    than ``limit`` bytes can hold a string to cut. Records that are not a list (an object) raise as
    :func:`~ashby_agent.envelope.listed_results` (:func:`~ashby_agent.envelope.single_result`) does."""
    results = envelope.get("results")
    if not isinstance(results, Records):
        return None
    raw = results.raw
    if raw[:1] != (b"[" if returns_list else b"{"):
        decoded = materialize(envelope)
        listed_results(decoded, endpoint) if returns_list else single_result(decoded, endpoint)
        return None  # (unreachable: both raise for anything else)
    if limit is None or len(raw) <= limit:
        return raw
    if returns_list and all(len(item) <= limit for item in _ITEMS.decode(raw)):
        return raw
    return None
