"""Ashby's records forwarded as Ashby encoded them: the ``results`` value cut out of the response bytes.

The envelope has already been decoded (that is how the connector read it); this finds where its
``results`` value lies in the bytes it came from, so a page that needs no projection, truncation or
redaction is answered by splicing those bytes into the execute answer instead of encoding every record
again. The cut is proven, not guessed: the bytes before it must parse as the start of the envelope
object up to a key, and the bytes after it as the rest of that object with exactly the envelope's other
keys and values; anything else (a layout this does not expect) returns ``None`` and the caller encodes.
One layout is not caught: a body repeating another key, whose earlier value holds the closing bracket,
could make the cut include that key (Ashby's answers never repeat keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

__all__ = ["results_bytes"]

_KEY: Final = b'"results"'
_TRIES: Final = 4
_WHITESPACE: Final = b" \t\r\n"
_SPACES: Final = (b" ", b"\t", b"\r", b"\n")
_CLOSERS: Final = {ord("["): ord("]"), ord("{"): ord("}")}


def _object_start(head: bytes) -> dict[str, Any] | None:
    """The keys of ``head`` when it is an object's start up to (not into) its next key, else ``None``."""
    try:
        parsed = orjson.loads(head + b'"":0}')
    except orjson.JSONDecodeError:
        return None
    if not isinstance(parsed, dict):
        return None
    parsed.pop("", None)
    return parsed


def _object_rest(tail: bytes) -> dict[str, Any] | None:
    """The keys of ``tail`` when it is the rest of an object after a value (``}`` or ``, ... }``)."""
    rest = tail.strip(_WHITESPACE)
    if rest == b"}":
        return {}
    if not rest.startswith(b","):
        return None
    try:
        parsed = orjson.loads(b"{" + rest[1:])
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _after_colon(raw: bytes, at: int) -> int | None:
    """Where the value begins after the key ending at ``at`` (``None`` without a colon)."""
    while raw[at : at + 1] in _SPACES:
        at += 1
    if raw[at : at + 1] != b":":
        return None
    at += 1
    while raw[at : at + 1] in _SPACES:
        at += 1
    return at


def _value_start(raw: bytes) -> tuple[int, dict[str, Any]] | None:
    """Where the value of the last top-level ``results`` key begins (the one a decoder keeps when a key
    is repeated), and the envelope's keys before it."""
    found: tuple[int, dict[str, Any]] | None = None
    at = raw.find(_KEY)
    for _ in range(_TRIES):
        if at < 0:
            return found
        before = _object_start(raw[:at])
        if before is not None:
            value = _after_colon(raw, at + len(_KEY))
            if value is None:
                return None
            found = value, before
        at = raw.find(_KEY, at + 1)
    return found if at < 0 else None


def results_bytes(raw: bytes, envelope: Mapping[str, Any]) -> bytes | None:
    """The exact bytes of ``envelope["results"]`` (a list or an object) in ``raw``, the body it was
    decoded from; ``None`` when they cannot be proven."""
    found = _value_start(raw)
    if found is None:
        return None
    start, before = found
    before.pop("results", None)  # a repeated key's earlier value: the decoder dropped it too
    closer = _CLOSERS.get(raw[start]) if start < len(raw) else None
    if closer is None:
        return None
    others = {key: value for key, value in envelope.items() if key != "results"}
    end = len(raw)
    for _ in range(_TRIES):
        end = raw.rfind(closer, start, end)
        if end < 0:
            return None
        after = _object_rest(raw[end + 1 :])
        if after is not None and len(before) + len(after) == len(others) and {**before, **after} == others:
            return raw[start : end + 1]
    return None
