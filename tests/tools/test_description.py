"""The tool description: generated from the catalog, small, and naming only what exists."""

from __future__ import annotations

import pytest

from ashby_agent.connectors.ashby.catalog import CATALOG, ENTITIES
from ashby_agent.tools.description import build_description, normalize_permissions

try:  # works whether or not tests/ is a package
    from .tool_helpers import names_in_description
except ImportError:
    from tool_helpers import names_in_description  # type: ignore[no-redef]

DESCRIPTION_BUDGET_BYTES = 4096


def test_description_is_under_4kb() -> None:
    size = len(build_description().encode("utf-8"))
    assert size < DESCRIPTION_BUDGET_BYTES, size


def test_every_entity_action_and_param_named_exists_in_the_catalog() -> None:
    triples = names_in_description(build_description())
    # A read-only tool lists every entity that has a read (an entity of writes only is left out).
    assert {entity for entity, _, _ in triples} == {
        name for name, entity in CATALOG.items() if any(op.read_only for op in entity.operations.values())
    }
    for entity, action, params in triples:
        op = CATALOG[entity].operations[action]
        declared = {param.name for param in op.all_params}
        assert set(params) <= declared, (entity, action, set(params) - declared)


def test_every_read_and_declared_param_is_listed() -> None:
    listed = {
        (entity, action): set(params) for entity, action, params in names_in_description(build_description())
    }
    for entity in ENTITIES:
        for action, op in entity.operations.items():
            if not op.read_only:  # a read-only tool (the default) shows no write
                assert (entity.name, action) not in listed
                continue
            assert (entity.name, action) in listed
            paging = {"limit", "cursor", "syncToken"}
            assert {p.name for p in op.params if p.name not in paging} == listed[(entity.name, action)]


@pytest.mark.parametrize("access", ["comment", "write"])
def test_an_access_level_lists_exactly_the_writes_it_admits_within_the_budget(access: str) -> None:
    text = build_description(access=access)  # type: ignore[arg-type]
    assert len(text.encode()) < 4096
    listed = {(entity, action) for entity, action, _ in names_in_description(text)}
    order = ("read", "comment", "write")
    expected = {
        (entity.name, action)
        for entity in ENTITIES
        for action, op in entity.operations.items()
        if order.index(op.access) <= order.index(access)
    }
    assert listed == expected
    assert ("candidates", "add_tag") in listed and ("candidate_notes", "create") in listed
    assert (("applications", "change_stage") in listed) == (access == "write")
    assert "dry_run=true" in text and "confirm=true" in text


def test_required_params_are_starred_and_one_of_groups_joined() -> None:
    text = build_description()
    assert "candidate_notes: list(candidateId*)+p" in text
    assert "candidates: list(createdAfter)+p+s; get(id|externalMappingId); api_search(email|name)" in text
    assert "status=[Draft|Open|Closed|Archived]" in text  # enum list with its choices


def test_description_explains_paging_fields_and_result_shape() -> None:
    text = build_description(max_output_chars=12_000)
    assert "cursor = meta.cursor" in text
    assert '{"data": [records], "meta": {"cursor", "has_more", "sync_token"}}' in text
    assert "fields" in text
    assert "dot paths" in text
    assert "12000 chars" in text


@pytest.mark.parametrize("scopes", [["candidates:read", "jobs:read"], ["candidatesRead", "jobsRead"]])
def test_scopes_filter_the_listed_operations(scopes: list[str]) -> None:
    text = build_description(scopes=scopes)
    entities = {entity for entity, _, _ in names_in_description(text)}
    assert "candidates" in entities
    assert "jobs" in entities
    assert "users" not in entities
    assert "offers" not in entities
    assert "interviews" not in entities
    assert "projects: list(createdAfter)+p+s; get(projectId*); api_search(title)" in text  # get needs jobs
    assert len(text.encode()) < len(build_description().encode())


def test_a_key_without_read_scopes_gets_an_explanation() -> None:
    text = build_description(scopes=["candidates:write"])
    assert names_in_description(text) == []
    assert "may read nothing" in text


def test_normalize_permissions_accepts_scopes_and_permission_ids() -> None:
    assert normalize_permissions(["candidates:read", "hiringProcessMetadata:read", "jobsRead"]) == {
        "candidatesRead",
        "hiringProcessMetadataRead",
        "jobsRead",
    }
    assert normalize_permissions(None) is None


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="valid: local, hosted"):
        build_description(mode="cloud")  # type: ignore[arg-type]
