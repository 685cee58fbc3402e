"""Records forwarded as Ashby sent them, when the answer needs no projection, redaction or truncation.

Turning a page's records into Python objects (and freeing them again) only to write them back out was
most of the service's CPU per request for a page of 100 candidates; the envelope arrives with its
records undecoded (:func:`~ashby_agent.undecoded.decode_envelope`) and their bytes go out as they came.
"""

from __future__ import annotations

from typing import Any

from ashby_agent.envelope import listed_results, single_result
from ashby_agent.undecoded import Records, materialize

__all__ = ["forwardable"]


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
    if returns_list and all(size <= limit for size in results.sizes()):
        return raw
    return None
