"""Param declarations and coercion: the rules every execute call is validated with."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from ashby_agent.connectors.ashby.params import Param, ParamType, ParamValueError, coerce_param, snake_case

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
        (ParamType.TIMESTAMP_MS, "yesterday", "ISO date"),
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
