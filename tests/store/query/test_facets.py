"""``store_facets``: aggregates on faceted paths read it and answer exactly what the JSON plan answers.

The property test draws random applications and random aggregates whose keys, metrics and filters are
all on faceted paths, and holds, on SQLite and PostgreSQL, the facet plan (checked to be the one
taken) to the JSON plan and to a Python reference. The other tests pin the maintenance: upserts,
deletions, merges, full re-reads, tenants, archived records, values a facet cannot hold, the
back-fill of a store created before facets, and the migration matching the tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from hypothesis import given, note
from hypothesis import strategies as st

from ashby_agent.database import create_database_engine
from ashby_agent.sandbox import run_sandbox
from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.facets import facet_rows
from ashby_agent.store.query import facets as facet_query
from ashby_agent.store.query.aggregate import (
    Aggregate,
    compile_aggregate,
    faceted_paths,
    parse_aggregate,
    run_aggregate,
)
from ashby_agent.store.query.indexes import FACETED, facet_fields
from ashby_agent.store.query.language import And, Condition, Not, Or
from ashby_agent.store.schema import facet_paths, facets, metadata, records
from ashby_agent.store.webhooks import apply_event
from ashby_agent.transports.ashby import AshbyTransport
from tests.store.query import reference
from tests.store.query.conftest import replace_records
from tests.store.query.test_properties import IDS, INSTANT, PROPERTIES, applications, values

TENANT = "facets-a"
OTHER = "facets-b"
ENTITY = "applications"


def insert(store: ContextStore, entity: str, records: list[dict[str, Any]], connector: str = TENANT) -> None:
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, connector, entity, records, pass_number=1, now=now))


def facet_table(store: ContextStore, connector: str = TENANT) -> dict[tuple[str, str, str], Any]:
    """(entity, record id, path) -> value, or ``"<overflow>"``."""
    query = sa.select(facets).where(facets.c.connector_id == connector)
    found = store.transaction(lambda c: c.execute(query).all())
    return {(r.entity, r.record_id, r.path): "<overflow>" if r.overflow else r.value for r in found}


def answer(store: ContextStore, agg: Aggregate, connector: str = TENANT, *, facets_on: bool = True) -> Any:
    return store.read(lambda c: run_aggregate(c, connector, agg, facets=facets_on))["data"]


def uses_facets(store: ContextStore, agg: Aggregate, connector: str = TENANT) -> bool:
    paths = faceted_paths(agg)
    return paths is not None and store.read(lambda c: facet_query.usable(c, connector, agg.entity, paths))


# ---------------------------------------------------------------------------------------------- property


FACET_PATHS = tuple(facet_fields(ENTITY))
KINDS = {
    text: "timestamp" if path.keys == ("createdAt",) else "string"
    for text, path in facet_fields(ENTITY).items()
}


def _leaf(path: str) -> st.SearchStrategy[dict[str, Any]]:
    kind = KINDS[path]
    value = values(kind) | (IDS if kind == "string" else INSTANT)
    ops = ("eq", "neq", "gt", "gte", "lt", "lte") if kind == "timestamp" else ("eq", "neq", "eq", "gte", "lt")
    return st.one_of(
        st.sampled_from(ops).flatmap(lambda op: value.map(lambda v: {op: {path: v}})),
        st.just({"eq": {path: None}}),
        st.lists(st.none() | value, max_size=3).map(lambda vs: {"in": {path: vs}}),
    )


LEAVES = st.sampled_from(FACET_PATHS).flatmap(_leaf)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda cs: {"and": cs})
        | st.lists(inner, max_size=3).map(lambda cs: {"or": cs})
        | inner.map(lambda c: {"not": c})
    ),
    max_leaves=5,
)
KEYS = st.lists(
    st.sampled_from(FACET_PATHS).flatmap(
        lambda p: st.sampled_from(
            [p]
            if KINDS[p] == "string"
            else [p, *({"field": p, "bucket": b} for b in ("day", "week", "month"))]
        )
    ),
    max_size=2,
    unique_by=lambda k: k if isinstance(k, str) else f"{k['field']}.{k['bucket']}",
)
METRICS = st.dictionaries(
    st.sampled_from(("m1", "m2", "m3")),
    st.sampled_from(
        (
            {"count": "*"},
            {"count_distinct": "candidate.id"},
            {"count": "source.title"},
            {"min": "createdAt"},
            {"max": "currentInterviewStage.title"},
            {"count_distinct": "job.departmentId"},
        )
    ),
    min_size=1,
    max_size=2,
)


def _bucket(instant: str | None, unit: str) -> str | None:
    if instant is None:
        return None
    day = date.fromisoformat(instant[:10])
    if unit == "week":
        day -= timedelta(days=day.weekday())
    elif unit == "month":
        day = day.replace(day=1)
    return day.isoformat()


def expected(records: list[dict[str, Any]], agg: Aggregate) -> list[tuple[Any, ...]]:
    """The groups the reference computes: sorted tuples of (keys..., metrics...)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for record in reference.matching(records, agg.condition):
        key = []
        for group in agg.group_by:
            (value,) = reference.values_at(record, group.path.segments)
            key.append(_bucket(value, group.bucket) if group.bucket else value)
        groups[tuple(key)].append(record)
    if not agg.group_by and not groups:
        groups[()] = []
    out = []
    for key, members in groups.items():
        metrics = []
        for metric in agg.metrics:
            found = [
                value
                for record in members
                for value in (reference.values_at(record, metric.path.segments) if metric.path else [1])
                if value is not None
            ]
            metrics.append(
                {
                    "count": len(found),
                    "count_distinct": len(set(found)),
                    "min": min(found, default=None),
                    "max": max(found, default=None),
                }[metric.function]
            )
        out.append((*key, *metrics))
    return sorted(out, key=repr)


def _leaves(node: Condition) -> int:
    match node:
        case And(conditions=items) | Or(conditions=items):
            return sum(_leaves(item) for item in items)
        case Not(condition=inner):
            return _leaves(inner)
    return 1


def _plain(agg: Aggregate, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    names = [key.name for key in agg.group_by] + [metric.name for metric in agg.metrics]
    return sorted((tuple(row[name] for name in names) for row in rows), key=repr)


@PROPERTIES
@given(records=applications(), condition=st.none() | CONDITIONS, keys=KEYS, metrics=METRICS)
def test_the_facet_plan_answers_what_the_documents_answer(
    stores: dict[str, ContextStore],
    records: list[dict[str, Any]],
    condition: dict[str, Any] | None,
    keys: list[Any],
    metrics: dict[str, Any],
) -> None:
    agg = parse_aggregate(ENTITY, {"filter": condition, "group_by": keys, "metrics": metrics, "limit": 1000})
    want = expected(records, agg)
    paths = [metric.path for metric in agg.metrics if metric.path is not None]
    note(f"expected: {want}")
    for kind, store in stores.items():
        replace_records(store, TENANT, ENTITY, records)
        # Only an aggregate that reads no field at all (a plain count) keeps the record rows.
        assert uses_facets(store, agg) is bool(agg.group_by or paths or _leaves(agg.condition)), kind
        faceted = answer(store, agg)
        note(f"{kind} facet SQL: {compile_aggregate(agg, kind, TENANT, facets=True)[0]}")
        assert faceted == answer(store, agg, facets_on=False), kind
        assert _plain(agg, faceted) == want, kind


# ---------------------------------------------------------------------------------------------- upkeep


def app(n: int, source: Any = "LinkedIn", status: str = "Active", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"a{n}",
        "createdAt": f"2024-05-0{1 + n % 9}T10:00:00.000Z",
        "status": status,
        "candidate": {"id": f"c{n % 3}"},
        "job": {"id": "j1", "departmentId": "d1"},
        "currentInterviewStage": {"id": "s1", "title": "Screen"},
        "source": None if source is None else {"id": "s", "title": source},
        **extra,
    }


BY_SOURCE = parse_aggregate(ENTITY, {"group_by": ["source.title"], "metrics": {"n": {"count": "*"}}})
BY_STATUS = parse_aggregate(ENTITY, {"group_by": ["status"]})


def both_plans(store: ContextStore, agg: Aggregate, connector: str = TENANT) -> Any:
    """The aggregate's answer, the same by both plans."""
    found = answer(store, agg, connector)
    assert found == answer(store, agg, connector, facets_on=False)
    return found


def test_an_upsert_replaces_its_records_facets(store: ContextStore) -> None:
    insert(store, ENTITY, [app(1), app(2, source="Referral")])
    table = facet_table(store)
    assert {path for (_, record, path) in table if record == "a1"} == set(FACETED[ENTITY])
    assert table[(ENTITY, "a1", "source.title")] == "LinkedIn"
    assert table[(ENTITY, "a1", "createdAt")] == "2024-05-02T10:00:00.000Z"
    assert table[(ENTITY, "a1", "job.departmentId")] == "d1"
    # The last copy of an id in a page wins; a value gone is a null row.
    insert(store, ENTITY, [app(1, source="Referral"), app(1, source=None, status="Hired")])
    table = facet_table(store)
    assert (table[(ENTITY, "a1", "source.title")], table[(ENTITY, "a1", "status")]) == (None, "Hired")
    assert uses_facets(store, BY_SOURCE)
    assert both_plans(store, BY_SOURCE) == [
        {"source.title": "Referral", "n": 1},
        {"source.title": None, "n": 1},
    ]
    # Entities without facets write none.
    insert(store, "users", [{"id": "u1", "email": "a@example.com"}])
    assert not [key for key in facet_table(store) if key[0] == "users"]


def test_a_value_a_facet_cannot_hold_sends_that_path_to_the_documents(store: ContextStore) -> None:
    insert(store, ENTITY, [app(1), app(2, source=7), app(3, source="x" * 501)])
    insert(store, ENTITY, [app(1)], connector=OTHER)
    table = facet_table(store)
    assert table[(ENTITY, "a2", "source.title")] == table[(ENTITY, "a3", "source.title")] == "<overflow>"
    assert not uses_facets(store, BY_SOURCE)
    assert uses_facets(store, BY_STATUS)  # other paths still answer from facets
    assert uses_facets(store, BY_SOURCE, OTHER)  # and other tenants
    assert both_plans(store, BY_STATUS) == [{"status": "Active", "count": 3}]
    # Once the value is text again, the facets answer.
    insert(store, ENTITY, [app(2), app(3)])
    assert uses_facets(store, BY_SOURCE)
    assert both_plans(store, BY_SOURCE) == [{"source.title": "LinkedIn", "n": 3}]


async def test_deleted_and_merged_candidates_lose_their_facets(store: ContextStore) -> None:
    people = [
        {"id": f"c{n}", "name": f"P{n}", "source": {"id": "s", "title": title}}
        for n, title in enumerate("ABB")
    ]
    insert(store, "candidates", people)
    events = [
        {"webhookActionId": "w1", "action": "candidateDelete", "data": {"candidate": {"id": "c0"}}},
        {
            "webhookActionId": "w2",
            "action": "candidateMerge",
            "data": {"deletedCandidate": {"id": "c1"}, "mergedCandidate": {"id": "c2"}},
        },
    ]
    for event in events:
        store.transaction(lambda c, e=event: apply_event(c, TENANT, e))
    assert {record for (entity, record, _) in facet_table(store)} == {"c2"}
    by_source = parse_aggregate("candidates", {"group_by": ["source.title"]})
    assert uses_facets(store, by_source)
    assert both_plans(store, by_source) == [{"source.title": "B", "count": 1}]


def test_a_full_reread_drops_the_facets_of_what_it_did_not_see(store: ContextStore) -> None:
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, TENANT, ENTITY, [app(1), app(2)], pass_number=1, now=now))
    store.transaction(lambda c: rows.upsert_page(c, OTHER, ENTITY, [app(1)], pass_number=1, now=now))
    store.transaction(lambda c: rows.upsert_page(c, TENANT, ENTITY, [app(2)], pass_number=2, now=now))
    assert store.transaction(lambda c: rows.remove_unseen(c, TENANT, ENTITY, 2)) == 1
    assert {record for (_, record, _) in facet_table(store)} == {"a2"}
    assert {record for (_, record, _) in facet_table(store, OTHER)} == {"a1"}


def test_tenants_keep_their_own_facets(store: ContextStore) -> None:
    insert(store, ENTITY, [app(1), app(2)])
    insert(store, ENTITY, [app(1, source="Referral", status="Archived")], connector=OTHER)
    assert both_plans(store, BY_SOURCE) == [{"source.title": "LinkedIn", "n": 2}]
    assert both_plans(store, BY_SOURCE, OTHER) == [{"source.title": "Referral", "n": 1}]
    store.drop_connector(OTHER)
    assert facet_table(store, OTHER) == {}
    assert len(facet_table(store)) == 2 * len(FACETED[ENTITY])


def test_archived_records_count_as_the_documents_count_them(store: ContextStore) -> None:
    insert(
        store,
        ENTITY,
        [app(1), app(2, status="Archived", archivedAt="2024-05-09T00:00:00.000Z"), app(3, status="Hired")],
    )
    archived = parse_aggregate(
        ENTITY, {"filter": {"neq": {"status": "Active"}}, "group_by": ["source.title"]}
    )
    assert uses_facets(store, archived)
    assert both_plans(store, archived) == [{"source.title": "LinkedIn", "count": 2}]
    assert both_plans(store, BY_STATUS) == [
        {"status": "Active", "count": 1},
        {"status": "Archived", "count": 1},
        {"status": "Hired", "count": 1},
    ]


def _alembic(store_url: str, revision: str) -> None:
    engine = create_database_engine(store_url)
    try:
        with engine.connect() as connection:
            config = Config()
            config.set_main_option(
                "script_location", str(resources.files("ashby_agent.store") / "migrations")
            )
            config.attributes["connection"] = connection
            config.attributes["version_table"] = "store_alembic_version"
            command.downgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def test_a_store_created_before_facets_gets_them_back_filled(store_url: str) -> None:
    store = ContextStore.open(store_url)
    # More records than one back-fill batch, over two tenants, and a job.
    insert(store, ENTITY, [app(n, source=f"S{n % 5}") for n in range(1500)])
    insert(store, ENTITY, [app(n, source="Other") for n in range(700)], connector=OTHER)
    insert(store, "jobs", [{"id": "j1", "title": "Engineer", "status": "Open", "departmentId": "d1"}])
    written = facet_table(store), facet_table(store, OTHER)
    store.close()
    _alembic(store_url, "store_0004")  # the store as it was before this revision
    reopened = ContextStore.open(store_url)
    try:
        assert (facet_table(reopened), facet_table(reopened, OTHER)) == written
        assert len(written[0]) == 1500 * len(FACETED[ENTITY]) + len(FACETED["jobs"])
        assert uses_facets(reopened, BY_SOURCE)
        assert both_plans(reopened, BY_SOURCE, OTHER) == [{"source.title": "Other", "n": 700}]
        # A path no longer declared loses its rows the next time the store opens.
        stale = {"connector_id": TENANT, "entity": ENTITY, "record_id": "a1", "path": "retired.path"}
        reopened.transaction(
            lambda c: c.execute(sa.insert(facets), {**stale, "value": "v", "overflow": False})
        )
        reopened.transaction(
            lambda c: c.execute(sa.insert(facet_paths), {"entity": ENTITY, "path": "retired.path"})
        )
    finally:
        reopened.close()
    again = ContextStore.open(store_url)
    try:
        assert facet_table(again) == written[0]
        paths = again.transaction(lambda c: set(c.execute(sa.select(facet_paths.c.path)).scalars()))
        assert paths == {path for declared in FACETED.values() for path in declared}
    finally:
        again.close()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migrations_create_the_tables_of_the_schema(store: ContextStore) -> None:
    def include(name: str | None, kind: str, parent: Any) -> bool:
        """Not the version table, nor the expression indexes reconciled on open."""
        if kind == "table":
            return name != "store_alembic_version"
        return not (kind == "index" and (name or "").startswith("ix_store_records_q_"))

    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include})
        assert compare_metadata(context, metadata) == []


def test_every_facet_scan_is_confined_to_the_tenant() -> None:
    agg = parse_aggregate(
        ENTITY,
        {
            "filter": {"eq": {"status": "Active"}},
            "group_by": ["job.departmentId", {"field": "createdAt", "bucket": "week"}],
            "metrics": {"people": {"count_distinct": "candidate.id"}},
        },
    )
    for dialect in ("sqlite", "postgresql"):
        sql, params = compile_aggregate(agg, dialect, "tenant-x", facets=True)
        (tenant,) = [name for name, value in params.items() if value == "tenant-x"]
        assert sql.count("store_facets AS ") == 4
        assert sql.count(f"connector_id = :{tenant}") == 4 + 1  # and the display names' join
        assert "r.data" not in sql


def test_which_aggregates_the_facets_answer() -> None:
    def paths(params: dict[str, Any]) -> list[str] | None:
        found = faceted_paths(parse_aggregate(ENTITY, params))
        return None if found is None else [path.text for path in found]

    assert paths({"group_by": ["source.title"], "filter": {"in": {"status": ["Active", None]}}}) == [
        "source.title",
        "status",
    ]
    assert paths({"filter": {"not": {"gte": {"createdAt": "2024-01-01"}}}}) == ["createdAt"]
    assert paths({}) is None  # nothing to read: the record rows count
    assert paths({"group_by": ["source.id"]}) is None  # not faceted
    assert paths({"group_by": ["status"], "filter": {"like": {"status": "act%"}}}) is None
    assert (
        paths(
            {"group_by": ["status"], "metrics": {"s": {"sum": "currentInterviewStage.orderInInterviewPlan"}}}
        )
        is None
    )


async def test_a_sync_writes_the_facets_of_every_record_and_keeps_them_level(store: ContextStore) -> None:
    with run_sandbox(seed=11, scale="small") as sandbox:
        async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
            assert (await store.replicate(transport, TENANT, entities=["applications"])).ok
            moved = sandbox.control.records("application")[:3]
            for record in moved:
                sandbox.control.update("application", record["id"], source={"id": "s-x", "title": "Moved"})
            sandbox.control.advance_clock(60)
            assert (await store.replicate(transport, TENANT, entities=["applications"])).ok
        listed = sandbox.control.records("application")
    query = sa.select(records.c.record_id, records.c.data).where(records.c.entity == ENTITY)
    stored = {row.record_id: row.data for row in store.transaction(lambda c: c.execute(query).all())}
    assert len(stored) == len(listed) > 100  # several pages
    want = {
        (entity, rid, path): "<overflow>" if overflow else value
        for (_, entity, rid, path, value, overflow) in facet_rows(TENANT, ENTITY, list(stored.values()))
    }
    assert facet_table(store) == want
    assert {want[(ENTITY, record["id"], "source.title")] for record in moved} == {"Moved"}
    titles = [(record.get("source") or {}).get("title") for record in listed]
    assert titles.count("Moved") == 3
    answer_rows = both_plans(store, parse_aggregate(ENTITY, {"group_by": ["source.title"], "limit": 1000}))
    assert {row["source.title"]: row["count"] for row in answer_rows} == Counter(titles)
