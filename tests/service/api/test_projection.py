"""Field projection and truncation of execute results, without a server."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from ashby_agent.service.api.projection import plan_fields, truncate_strings
from ashby_agent.service.exceptions import ServiceError


class _Record(BaseModel):
    id: str
    created_at: str = Field(alias="createdAt")
    job: dict[str, object] = Field(alias="job")


def test_field_plan_selects_and_excludes_paths() -> None:
    record = {"id": "1", "createdAt": "t", "job": {"title": "x", "locationName": "y"}, "extra": 1}
    assert plan_fields(_Record, ["id", "job.location_name"], None).apply(dict(record)) == {
        "id": "1",
        "job": {"locationName": "y"},
    }
    assert plan_fields(_Record, None, ["created_at", "job.title"]).apply(
        {**record, "job": dict(record["job"])}  # type: ignore[arg-type]
    ) == {"id": "1", "job": {"locationName": "y"}, "extra": 1}
    with pytest.raises(ServiceError) as caught:
        plan_fields(_Record, ["nope", "job..x"], None)
    assert caught.value.status == 422
    assert len(caught.value.errors) == 2
    assert "createdAt, id, job" in caught.value.message


def test_truncation_marks_what_it_cut() -> None:
    value = {"a": "x" * 20, "b": ["y" * 3, {"c": "z" * 11}], "n": 5}
    cut = truncate_strings(value, 10)
    assert cut["a"].startswith("x" * 10)
    assert "truncated 10 characters" in cut["a"]
    assert cut["b"][0] == "yyy"
    assert "truncated 1 characters" in cut["b"][1]["c"]
    assert cut["n"] == 5
