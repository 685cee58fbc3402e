"""Hypothesis strategies shared by the sandbox's property tests, and the settings they run under.

The settings have no deadline (a loaded machine must not fail a test; no test asserts on wall-clock
time) and no example database (runs leave no files behind).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Property tests over HTTP: a few hundred requests at most.
HTTP = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
#: Property tests in process.
IN_PROCESS = settings(max_examples=400, deadline=None, database=None)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
#: Any value orjson can write: what a hostile client can put in a JSON body.
JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

#: Numbers a timestamp parameter may be sent as: wide ints (past 64 bits), any float, booleans,
#: strings of digits, other JSON. Each branch is drawn about as often, so most draws are out of range.
WIDE_NUMBERS: st.SearchStrategy[Any] = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.floats(min_value=-1e20, max_value=1e20),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e18, 1e300, -1e14, 2**63, 2**64]),
    st.booleans(),
    st.from_regex(r"\A-?[0-9]{1,25}\Z"),
    st.text(max_size=12),
    JSON,
)


def b64(payload: bytes) -> str:
    """The cursor wrapper: URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode()


def wrapped(value: Any) -> str:
    """``value`` as JSON inside the cursor wrapper (what a forged cursor or sync token looks like)."""
    return b64(orjson.dumps(value))


def unwrapped(text: str) -> Any:
    return orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


__all__ = ["HTTP", "IN_PROCESS", "JSON", "SCALARS", "WIDE_NUMBERS", "b64", "unwrapped", "wrapped"]
