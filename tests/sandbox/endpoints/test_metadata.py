"""Metadata lists hide archived rows unless asked."""

from __future__ import annotations

from typing import Any


def test_metadata_lists_hide_archived(api: Any) -> None:
    assert [s["title"] for s in api("source.list")["results"]] == ["LinkedIn"]
    assert len(api("source.list", includeArchived=True)["results"]) == 2
    assert len(api("department.list")["results"]) == 1
