"""Param declarations and coercion: the rules every execute call is validated with."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ashby_agent.connectors.ashby.params import (
    BOOLEAN_PATTERN,
    INTEGER_RANGE,
    TIMESTAMP_MS_RANGE,
    UUID_PATTERN,
    Param,
    ParamType,
    ParamValueError,
    case_insensitive_pattern,
    coerce_param,
    decimal_pattern,
    snake_case,
)

UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("applicationId", "application_id"),
        ("id", "id"),
        ("createdAfter", "created_after"),
        ("syncToken", "sync_token"),
    ],
)
def test_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_spellings_include_wire_snake_and_aliases() -> None:
    param = Param("applicationId", ParamType.UUID, "x", aliases=("id",))
    assert param.spellings == ("applicationId", "application_id", "id")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (ParamType.STRING, "a", "a"),
        (ParamType.UUID, UUID.upper(), UUID),
        (ParamType.INTEGER, 5, 5),
        (ParamType.INTEGER, "25", 25),
        (ParamType.BOOLEAN, True, True),
        (ParamType.BOOLEAN, "false", False),
        (ParamType.TIMESTAMP_MS, 1700000000000, 1700000000000),
        (ParamType.TIMESTAMP_MS, "1700000000000", 1700000000000),
        (ParamType.TIMESTAMP_MS, "2025-01-31", 1738281600000),
        (ParamType.TIMESTAMP_MS, "2025-01-31T00:00:00Z", 1738281600000),
        (ParamType.TIMESTAMP_MS, date(2025, 1, 31), 1738281600000),
        (ParamType.TIMESTAMP_MS, datetime(2025, 1, 31, tzinfo=UTC), 1738281600000),
        (ParamType.STRING_LIST, "x", ["x"]),
        (ParamType.STRING_LIST, ["x", "y"], ["x", "y"]),
    ],
)
def test_coerce_accepts(kind: ParamType, value: Any, expected: Any) -> None:
    assert coerce_param(Param("p", kind, "d"), value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        (ParamType.STRING, 5, "expected a string"),
        (ParamType.UUID, "abc", "expected an Ashby id"),
        (ParamType.INTEGER, True, "boolean"),
        (ParamType.INTEGER, "x", "expected an integer"),
        (ParamType.BOOLEAN, "yes", "true or false"),
        (ParamType.TIMESTAMP_MS, "yesterday", "a date like 2025-01-31"),
        (ParamType.TIMESTAMP_MS, False, "boolean"),
        (ParamType.STRING_LIST, [], "non-empty"),
        (ParamType.STRING_LIST, [1], "list of strings"),
    ],
)
def test_coerce_rejects_with_a_message(kind: ParamType, value: Any, fragment: str) -> None:
    with pytest.raises(ParamValueError, match=fragment):
        coerce_param(Param("p", kind, "d"), value)


def test_enum_matches_case_insensitively_and_lists_choices() -> None:
    param = Param("status", ParamType.ENUM_LIST, "d", choices=("Draft", "Open"))
    assert coerce_param(param, ["open", "DRAFT"]) == ["Open", "Draft"]
    assert coerce_param(param, "Open") == ["Open"]
    with pytest.raises(ParamValueError, match="Draft, Open"):
        coerce_param(param, ["Closed"])


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("kind", list(ParamType))
def test_deeply_nested_values_are_refused_with_a_short_message(kind: ParamType) -> None:
    """A 957-deep list once crashed the message (``{value!r}``: RecursionError, a 500 in the service)."""
    param = Param("p", kind, "d", choices=("Open",) if "enum" in kind.value else ())
    with pytest.raises(ParamValueError) as refused:
        coerce_param(param, _nested(957, 1))
    assert len(str(refused.value)) < 300


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ParamType.INTEGER, "²"),  # str.isdigit says yes, int() says no: once a 500
        (ParamType.INTEGER, "--5"),
        (ParamType.INTEGER, " 5"),
        (ParamType.INTEGER, 2**60),
        (ParamType.INTEGER, 1e300),
        (ParamType.UUID, "3fa85f64-5717-4562-b3fc-2c963f66afa6\n"),
        (ParamType.TIMESTAMP_MS, "²"),
        (ParamType.TIMESTAMP_MS, 10**18),
        (ParamType.TIMESTAMP_MS, 1e300),
        (ParamType.TIMESTAMP_MS, -(10**14)),
        (ParamType.TIMESTAMP_MS, "2025-02-30"),
        (ParamType.TIMESTAMP_MS, "2025-01-31T25:00:00Z"),
        (ParamType.TIMESTAMP_MS, "2025-01-31T10:00"),
        (ParamType.BOOLEAN, "TRUE\n"),
        (ParamType.ENUM, "OPEN\u0130"),
    ],
)
def test_values_outside_the_documented_forms_are_refused(kind: ParamType, value: Any) -> None:
    param = Param("p", kind, "d", choices=("Open", "Closed") if kind is ParamType.ENUM else ())
    with pytest.raises(ParamValueError):
        coerce_param(param, value)


def test_timestamps_accept_the_documented_forms() -> None:
    param = Param("p", ParamType.TIMESTAMP_MS, "d")
    assert coerce_param(param, "2025-01-31t00:00:00z") == 1738281600000
    assert coerce_param(param, "2025-01-31T01:00:00+01:00") == 1738281600000
    assert coerce_param(param, "2016-12-31T23:59:60Z") == coerce_param(param, "2016-12-31T23:59:59Z")
    assert coerce_param(param, TIMESTAMP_MS_RANGE[1]) == TIMESTAMP_MS_RANGE[1]
    assert coerce_param(param, "9999-12-31") < TIMESTAMP_MS_RANGE[1]


@given(st.integers(min_value=-(2**60), max_value=2**60), st.integers(min_value=0, max_value=3))
def test_decimal_pattern_is_exactly_the_range(number: int, zeros: int) -> None:
    for low, high in ((1, 2**53 - 1), (0, TIMESTAMP_MS_RANGE[1]), (-(2**53 - 1), 2**53 - 1), (1, 100)):
        text = ("-" if number < 0 else "") + "0" * zeros + str(abs(number))
        matches = bool(re.fullmatch(decimal_pattern(low, high), text))
        assert matches == (low <= number <= high), (low, high, text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["123", "-0", "007"]))
def test_published_patterns_accept_what_coercion_accepts(text: str) -> None:
    """The JSON Schema's patterns (rendered from these constants) and coerce_param agree on strings."""

    def accepts(param: Param) -> bool:
        try:
            coerce_param(param, text)
        except ParamValueError:
            return False
        return True

    choices = ("Open", "Closed", "Draft")
    assert accepts(Param("p", ParamType.ENUM, "d", choices=choices)) == bool(
        re.fullmatch(case_insensitive_pattern(choices), text)
    )
    assert accepts(Param("p", ParamType.BOOLEAN, "d")) == bool(re.fullmatch(BOOLEAN_PATTERN, text))
    assert accepts(Param("p", ParamType.UUID, "d")) == bool(re.fullmatch(UUID_PATTERN, text))
    integer = decimal_pattern(*INTEGER_RANGE)
    assert accepts(Param("p", ParamType.INTEGER, "d")) == bool(re.fullmatch(integer, text))
