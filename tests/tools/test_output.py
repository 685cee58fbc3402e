"""Tool output: JSON-able, fields applied, cut at a record boundary to the budget, never failing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from ashby_agent.pagination import ListResult, PageMeta
from ashby_agent.tools.output import FieldsError, json_size, parse_fields, shape_output


class Person(BaseModel):
    id: str
    first_name: str
    email: dict[str, Any] | None = None
    notes: str | None = None


def _page(n: int, *, note_len: int = 10, cursor: str | None = "c2") -> ListResult[Person]:
    people = [
        Person(
            id=f"id-{i}",
            first_name=f"P{i}",
            email={"value": f"p{i}@x.io", "type": "Work"},
            notes="n" * note_len,
        )
        for i in range(n)
    ]
    return ListResult(people, PageMeta(cursor=cursor, has_more=cursor is not None))


def test_pages_and_models_become_plain_json() -> None:
    out = shape_output(_page(2))
    assert out["data"][0] == {
        "id": "id-0",
        "first_name": "P0",
        "email": {"value": "p0@x.io", "type": "Work"},
        "notes": "n" * 10,
    }
    assert out["meta"] == {"cursor": "c2", "has_more": True, "sync_token": None}
    json.dumps(out)


def test_nulls_inside_records_are_dropped_but_meta_is_kept() -> None:
    out = shape_output({"data": [{"id": "a", "x": None, "y": {"z": None, "w": 1}}], "meta": {"cursor": None}})
    assert out == {"data": [{"id": "a", "y": {"w": 1}}], "meta": {"cursor": None}}
    assert shape_output({"id": "a", "x": None}, drop_nulls=False) == {"id": "a", "x": None}


def test_a_bare_list_becomes_data() -> None:
    assert shape_output([Person(id="a", first_name="A")]) == {"data": [{"id": "a", "first_name": "A"}]}


def test_fields_keep_only_those_keys_with_dot_paths_and_either_case() -> None:
    out = shape_output(_page(2), fields=["id", "firstName", "email.value"])
    assert out["data"] == [
        {"id": "id-0", "first_name": "P0", "email": {"value": "p0@x.io"}},
        {"id": "id-1", "first_name": "P1", "email": {"value": "p1@x.io"}},
    ]
    assert out["meta"]["cursor"] == "c2"


def test_fields_apply_inside_lists_and_to_single_records() -> None:
    record = {"id": "r", "emails": [{"value": "a", "type": "x"}, {"value": "b", "type": "y"}], "other": 1}
    assert shape_output(record, fields=["emails.value"]) == {"emails": [{"value": "a"}, {"value": "b"}]}


def test_unmatched_fields_are_reported_with_the_record_keys() -> None:
    out = shape_output(_page(1), fields=["id", "nmae"])
    assert out["data"] == [{"id": "id-0"}]
    assert "nmae" in out["notes"][0]
    assert "first_name" in out["notes"][0]


@pytest.mark.parametrize(
    ("value", "expected"), [(None, None), ("id, name", ["id", "name"]), (["a.b"], ["a.b"]), ([], None)]
)
def test_parse_fields(value: Any, expected: Any) -> None:
    assert parse_fields(value) == expected


@pytest.mark.parametrize("value", [3, [1, 2], {"id": True}])
def test_parse_fields_rejects_other_shapes(value: Any) -> None:
    with pytest.raises(FieldsError, match="list of key names"):
        parse_fields(value)


def test_large_pages_are_cut_at_a_record_boundary_with_a_note() -> None:
    page = _page(100, note_len=400)
    out = shape_output(page, max_chars=5_000, paginated=True)
    assert json_size(out) <= 5_000
    kept = out["truncated"]["kept_records"]
    assert 0 < kept < 100
    assert out["truncated"]["dropped_records"] == 100 - kept
    assert [r["id"] for r in out["data"]] == [f"id-{i}" for i in range(kept)]  # whole records, in order
    assert f"limit={kept}" in out["truncated"]["note"]
    assert "fields" in out["truncated"]["note"]
    assert out["meta"]["cursor"] == "c2"


def test_unpaginated_lists_suggest_narrowing_instead_of_paging() -> None:
    out = shape_output(_page(50, note_len=400, cursor=None), max_chars=3_000, paginated=False)
    assert "limit=" not in out["truncated"]["note"]
    assert "Narrow the call" in out["truncated"]["note"]


def test_a_single_record_over_the_budget_is_shortened_not_failed() -> None:
    huge = {"id": "p", "description_html": "x" * 50_000, "tags": list(range(5_000))}
    out = shape_output(huge, max_chars=2_000)
    assert json_size(out) <= 2_000
    assert out["result"]["id"] == "p"
    assert out["result"]["description_html"].startswith("xxx")
    assert "chars]" in out["result"]["description_html"]
    assert "fields" in out["truncated"]["note"]


def test_a_page_whose_first_record_is_too_big_keeps_it_shortened() -> None:
    page = {"data": [{"id": "a", "blob": "y" * 30_000}, {"id": "b"}], "meta": {"cursor": "c"}}
    out = shape_output(page, max_chars=1_500, paginated=True)
    assert json_size(out) <= 1_500
    assert out["data"][0]["id"] == "a"
    assert out["truncated"]["kept_records"] == 1


def test_scalars_and_strings_pass_through() -> None:
    assert shape_output("hello") == "hello"
    assert shape_output(3) == 3
