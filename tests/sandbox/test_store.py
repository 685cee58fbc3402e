"""The store's cursor and sync-token decoders and its clock, under hostile input (in process).

A cursor is opaque to clients but trivially forged: whatever its bytes, decoding either gives a walk
state the store can walk or refuses with Ashby's code, never an exception of another kind.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.sandbox.errors import InvalidValue
from ashby_agent.sandbox.store import CLOCK_MAX_MS, Clock, Store, StoreError, fingerprint, iso_ms
from tests.sandbox.conftest import NOW_MS, tiny_dataset
from tests.sandbox.strategies import IN_PROCESS, JSON, b64, unwrapped, wrapped

ENDPOINT = "candidate.list"
FP = fingerprint({})
CURSOR_CODES = {"invalid_next_cursor", "next_cursor_expired"}
TOKEN_CODES = {"sync_token_invalid", "sync_token_expired"}


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(tiny_dataset(), Clock(NOW_MS))


@pytest.fixture(scope="module")
def genuine(store: Store) -> tuple[list[Any], list[Any]]:
    """The decoded fields of a real cursor (mid-walk) and of a real sync token."""
    table = store.table("candidate")
    page = store.walk(table, store.start_state(ENDPOINT, FP, None), 5)
    assert page.next_state is not None
    return unwrapped(store.encode_cursor(page.next_state)), unwrapped(store.encode_sync_token(ENDPOINT, 3))


def _decode_and_walk(store: Store, text: str) -> None:
    """Decode ``text`` as a cursor; if it decodes, the walk it describes must run."""
    try:
        state = store.decode_cursor(text, ENDPOINT, FP)
    except StoreError as exc:
        refused = exc.code
    else:
        assert len(store.walk(store.table("candidate"), state, 10).ids) <= 10
        return
    assert refused in CURSOR_CODES


def _decode_token(store: Store, text: str) -> None:
    try:
        seq = store.decode_sync_token(text, ENDPOINT)
    except StoreError as exc:
        refused = exc.code
    else:
        assert store.delta_size(store.table("candidate"), seq) >= 0
        return
    assert refused in TOKEN_CODES


@pytest.mark.parametrize(
    ("position", "value"),
    [
        (3, [1, 2, 3]),  # the sort key: numbers where strings belong (was a 500: bisect compared int/str)
        (3, ["a"]),
        (3, {"a": 1}),
        (3, "2024-01-01"),
        (3, [None, None, None]),
        (4, "0"),
        (5, 1.5),
        (5, True),
        (6, []),
        (7, None),
        (8, False),
    ],
)
def test_a_forged_position_with_wrong_types_is_an_invalid_cursor(
    store: Store, genuine: tuple[list[Any], list[Any]], position: int, value: Any
) -> None:
    forged = list(genuine[0])
    forged[position] = value
    with pytest.raises(StoreError) as raised:
        store.decode_cursor(wrapped(forged), ENDPOINT, FP)
    assert raised.value.code == "invalid_next_cursor"


@IN_PROCESS
@given(st.binary(max_size=200))
def test_any_bytes_in_the_wrapper_decode_or_are_refused(store: Store, payload: bytes) -> None:
    _decode_and_walk(store, b64(payload))
    _decode_token(store, b64(payload))


@IN_PROCESS
@given(st.text(max_size=200))
def test_any_text_decodes_or_is_refused(store: Store, text: str) -> None:
    _decode_and_walk(store, text)
    _decode_token(store, text)


@IN_PROCESS
@given(JSON)
def test_any_json_in_the_wrapper_decodes_or_is_refused(store: Store, value: Any) -> None:
    _decode_and_walk(store, wrapped(value))
    _decode_token(store, wrapped(value))


@IN_PROCESS
@given(st.data())
def test_a_genuine_cursor_with_any_field_replaced_decodes_or_is_refused(
    store: Store, genuine: tuple[list[Any], list[Any]], data: st.DataObject
) -> None:
    cursor, token = list(genuine[0]), list(genuine[1])
    cursor[data.draw(st.integers(0, len(cursor) - 1))] = data.draw(JSON)
    token[data.draw(st.integers(0, len(token) - 1))] = data.draw(JSON)
    _decode_and_walk(store, wrapped(cursor))
    _decode_token(store, wrapped(token))


@IN_PROCESS
@given(
    st.lists(st.text(max_size=30), min_size=3, max_size=3),
    st.integers(-(2**63), 2**64 - 1),
    st.integers(-(2**63), 2**64 - 1),
    st.none() | st.integers(-(2**63), 2**64 - 1),
)
def test_a_well_typed_forged_cursor_walks(
    store: Store,
    genuine: tuple[list[Any], list[Any]],
    after: list[str],
    after_seq: int,
    start: int,
    since: int | None,
) -> None:
    forged = list(genuine[0])
    forged[3:7] = [after, after_seq, start, since]
    _decode_and_walk(store, wrapped(forged))


@pytest.mark.parametrize("seconds", [-1e12, 1e308, 1e20, float("nan"), float("inf"), "60", True, None, [1]])
def test_a_refused_clock_move_changes_nothing(seconds: Any) -> None:
    clock = Clock(NOW_MS)
    before = clock.now_ms()
    with pytest.raises(InvalidValue, match='"seconds" must be a number of seconds'):
        clock.advance(seconds)
    assert before <= clock.now_ms() <= CLOCK_MAX_MS  # neither moved back nor past the range
    iso_ms(clock.now_ms())  # still a time the wire form can carry


def test_the_clock_moves_up_to_its_bounds_and_no_further() -> None:
    clock = Clock(NOW_MS)
    clock.advance(-(clock.now_ms() // 1000) + 1)
    assert 0 <= clock.now_ms() < NOW_MS
    with pytest.raises(InvalidValue):
        clock.advance(-86_400)
    clock.advance((CLOCK_MAX_MS - clock.now_ms()) // 1000 - 3600)
    assert iso_ms(clock.now_ms()) > "9899-12-31"
    with pytest.raises(InvalidValue):
        clock.advance(86_400)


def test_a_start_outside_the_clock_range_is_refused() -> None:
    with pytest.raises(InvalidValue, match="now_ms"):
        Clock(-1)
    with pytest.raises(InvalidValue, match="now_ms"):
        Clock(CLOCK_MAX_MS + 1)
