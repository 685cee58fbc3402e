"""The SQL the query compiler writes, read as text and through each database's planner.

Indexed paths compile to exactly the expression their index was built from (both databases match
index expressions structurally, not by meaning); JSON paths are SQL literals, values always bound
parameters, so that a value can never change the statement.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ashby_agent.errors import InvalidQueryError
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.compiler import Compiler
from ashby_agent.store.query.dialects import Base, dialect_for
from ashby_agent.store.query.fields import entity_schema
from ashby_agent.store.query.indexes import INDEXED, index_statements, statistics_statements
from ashby_agent.store.query.language import parse_condition, resolve_path
from ashby_agent.store.query.search import MAX_LIMIT, compile_search, parse_search, run_search
from ashby_agent.transports.ashby import AshbyTransport
from tests.store.query.conftest import BACKENDS, replace_records

CONNECTOR = "compiler"
HOSTILE = "x' OR '1'='1"


def compile_condition(dialect: str, entity: str, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    compiler = Compiler(dialect_for(dialect))
    condition = parse_condition(raw, entity_schema(entity), entity=entity)
    return compiler.condition(condition, Base.record()), compiler.params


def index_expressions(dialect: str) -> set[tuple[str, str]]:
    """(entity, indexed expression), as the partial ``CREATE INDEX`` statements spell them."""
    found = set()
    for statement in index_statements(dialect).values():
        match = re.fullmatch(
            r"CREATE INDEX IF NOT EXISTS \w+ ON store_records \(connector_id, (.+)\) WHERE entity = '(\w+)'",
            statement,
        )
        assert match, statement
        found.add((match[2], match[1]))
    return found


@pytest.mark.parametrize("dialect", BACKENDS)
def test_every_indexed_path_compiles_to_its_index_expression(dialect: str) -> None:
    expressions = index_expressions(dialect)
    for entity, names in INDEXED.items():
        for name in names:
            sql, params = compile_condition(dialect, entity, {"eq": {name: "v"}})
            assert params == {"p0": "v"}
            left, _, right = sql.rpartition(" = ")
            assert right == ":p0", sql
            # The query reads r.data (its table's alias); the index reads the column itself.
            assert (entity, left.replace("r.data", "data")) in expressions, (entity, name, sql)


@pytest.mark.parametrize(
    ("dialect", "raw", "sql"),
    [
        ("sqlite", {"eq": {"status": "Active"}}, "json_extract(r.data, '$.\"status\"') = :p0"),
        ("postgresql", {"eq": {"status": "Active"}}, '((r.data #>> \'{"status"}\') COLLATE "C") = :p0'),
        ("sqlite", {"gt": {"createdAt": "2024-05-01"}}, "r.created_at > :p0"),
        ("postgresql", {"gt": {"created_at": "2024-05-01"}}, "r.created_at > :p0"),
        (
            "sqlite",
            {"neq": {"source.title": "x"}},
            '(NOT COALESCE((json_extract(r.data, \'$."source"."title"\') = :p0), 0))',
        ),
        (
            "postgresql",
            {"eq": {"archivedAt": None}},
            '(NOT COALESCE((((r.data #>> \'{"archivedAt"}\') COLLATE "C") IS NOT NULL), FALSE))',
        ),
        (
            "sqlite",
            {"contains": {"applicationHistory.allowedActions": "delete"}},
            "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type(r.data, '$.\"applicationHistory\"') "
            "= 'array' THEN json_extract(r.data, '$.\"applicationHistory\"') END) AS e1 WHERE EXISTS "
            "(SELECT 1 FROM json_each(CASE WHEN json_type(e1.value, '$.\"allowedActions\"') = 'array' THEN "
            "json_extract(e1.value, '$.\"allowedActions\"') END) AS e2 WHERE e2.value = :p0))",
        ),
        (
            "postgresql",
            {"any": {"customFields": {"eq": {"value": 3}}}},
            "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.data #> "
            "'{\"customFields\"}') = 'array' THEN r.data #> '{\"customFields\"}' END) AS e1(value) WHERE "
            "(jsonb_typeof(e1.value #> '{\"value\"}') = 'number' AND (CASE WHEN jsonb_typeof(e1.value #> "
            "'{\"value\"}') = 'number' THEN (e1.value #>> '{\"value\"}')::numeric END) = :p0))",
        ),
    ],
)
def test_the_sql_of_a_few_conditions(dialect: str, raw: dict[str, Any], sql: str) -> None:
    assert compile_condition(dialect, "applications", raw)[0] == sql


@pytest.mark.parametrize("dialect", BACKENDS)
def test_paths_are_literals_and_values_are_parameters(dialect: str) -> None:
    conditions: list[dict[str, Any]] = [
        {"eq": {"candidate.name": HOSTILE}},
        {"in": {"status": [HOSTILE, "Lead"]}},
        {"like": {"job.title": HOSTILE + "%"}},
        {"keyword": {"candidate.name": HOSTILE}},
        {"fuzzy": {"candidate.name": HOSTILE}},
        {"contains": {"hiringTeam": {"email": HOSTILE}}},
        {"any": {"customFields": {"eq": {"value": HOSTILE}}}},
        {"gt": {"createdAt": "2024-05-01T00:00:00+02:00"}},
    ]
    for raw in conditions:
        sql, params = compile_condition(dialect, "applications", raw)
        assert "'1'='1" not in sql and "2024" not in sql, sql
        assert params, raw
        for name in params:
            assert f":{name}" in sql
    sql, _ = compile_condition(dialect, "applications", {"eq": {"candidate.name": "x"}})
    path = '\'$."candidate"."name"\'' if dialect == "sqlite" else '\'{"candidate","name"}\''
    assert path in sql


@pytest.mark.parametrize(
    "name", ["customFields.value.a'b", 'customFields.value.a"b', "customFields.value.a b"]
)
def test_a_free_form_key_that_would_break_a_json_path_is_refused(name: str) -> None:
    with pytest.raises(InvalidQueryError, match="letters, digits"):
        resolve_path(entity_schema("applications"), name, entity="applications")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_hostile_value_only_matches_itself(stores: dict[str, ContextStore], backend: str) -> None:
    store = stores[backend]
    records = [
        {"id": "hostile", "status": HOSTILE, "candidate": {"id": "c", "name": HOSTILE}},
        {"id": "plain", "status": "Active", "candidate": {"id": "c", "name": "x"}},
    ]
    replace_records(store, CONNECTOR, "applications", records)
    for raw in (
        {"eq": {"candidate.name": HOSTILE}},
        {"in": {"status": [HOSTILE]}},
        {"like": {"status": "x' or%"}},
    ):
        search = parse_search("applications", {"query": {"filter": raw}})
        answer = store.read(lambda c, s=search: run_search(c, CONNECTOR, s))  # type: ignore[misc]
        assert [record["id"] for record in answer["data"]] == ["hostile"], raw
    assert (
        store.transaction(
            lambda c: c.execute(
                sa.text("SELECT count(*) FROM store_records WHERE connector_id = :c"), {"c": CONNECTOR}
            )
        ).scalar_one()
        == 2
    )


def _plan(store: ContextStore, backend: str, sql: str, params: dict[str, Any]) -> str:
    def work(connection: sa.Connection) -> str:
        if backend == "sqlite":
            rows = connection.execute(sa.text("EXPLAIN QUERY PLAN " + sql), params)
            return "\n".join(str(row[-1]) for row in rows)
        connection.execute(sa.text("ANALYZE store_records"))  # what autovacuum keeps current
        rows = connection.execute(sa.text("EXPLAIN " + sql), params)
        return "\n".join(str(row[0]) for row in rows)

    return store.transaction(work)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_planner_uses_the_expression_index_for_an_indexed_eq(
    stores: dict[str, ContextStore], backend: str
) -> None:
    """Both planners take the entity's partial index for the whole search (``ORDER BY record_id``
    included), with another entity's rows beside: the compiled expression and entity constant are
    the indexed ones."""
    store = stores[backend]
    records = [{"id": f"a{n:04d}", "status": "Active", "candidate": {"id": f"c{n}"}} for n in range(2000)]
    replace_records(store, CONNECTOR, "applications", records)
    replace_records(store, "other", "candidates", [{"id": f"c{n:04d}", "name": "x"} for n in range(3000)])
    store.analyze()  # sampled statistics, as after a sync: the partial index's describe its entity alone
    path = resolve_path(entity_schema("applications"), "candidate.id", entity="applications")
    expression = dialect_for(backend).scalar(Base("data", table="store_records"), path.keys, path.kind)
    index = next(
        name
        for name, statement in index_statements(backend).items()
        if f", {expression}) WHERE entity = 'applications'" in statement
    )
    search = parse_search("applications", {"query": {"filter": {"eq": {"candidate.id": "c7"}}}})
    sql, params = compile_search(search, backend, CONNECTOR)
    plan = _plan(store, backend, sql, params)
    assert index in plan, plan
    answer = store.read(lambda c: run_search(c, CONNECTOR, search))
    assert [record["id"] for record in answer["data"]] == ["a0007"]


async def test_sqlite_reads_a_cursor_page_as_it_reads_the_first(
    tmp_path: Path, transport: AshbyTransport
) -> None:
    """A later page of "Active, newest first" takes the first page's plan, not one index lookup per OR
    of the cursor's condition ("MULTI-INDEX OR"), which returns every row before the cursor to be
    sorted in full: 0.9 s at 158k applications. The sandbox's records give SQLite the statistics under
    which it chose that plan."""
    store = ContextStore.open(f"sqlite:///{tmp_path}/plans.db")
    try:
        report = await store.replicate(transport, CONNECTOR, entities=["candidates", "applications", "jobs"])
        assert report.ok
        query = {"filter": {"eq": {"status": "Active"}}, "sort": [{"createdAt": "desc"}]}
        first = parse_search("applications", {"query": query, "limit": 20})
        cursor = store.read(lambda c: run_search(c, CONNECTOR, first))["meta"]["cursor"]
        later = parse_search("applications", {"query": query, "limit": 20, "cursor": cursor})
        first_plan, later_plan = (
            _plan(store, "sqlite", *compile_search(search, "sqlite", CONNECTOR)) for search in (first, later)
        )
        assert "MULTI-INDEX OR" not in later_plan, later_plan
        assert later_plan.splitlines()[0] == first_plan.splitlines()[0], (first_plan, later_plan)
        everything = parse_search("applications", {"query": query, "limit": MAX_LIMIT})
        expected = [r["id"] for r in store.read(lambda c: run_search(c, CONNECTOR, everything))["data"]]
        answer = store.read(lambda c: run_search(c, CONNECTOR, later))
        assert len(expected) > 40
        assert [record["id"] for record in answer["data"]] == expected[20:40]
    finally:
        store.close()


def _applications(count: int) -> list[dict[str, Any]]:
    """A quarter Active, one in fifty with no creation time, instants repeating (ties the id breaks)."""
    return [
        {
            "id": f"a{n:05d}",
            "status": "Active" if n % 4 == 0 else "Hired",
            "createdAt": None if n % 50 == 7 else f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00.000Z",
        }
        for n in range(count)
    ]


def _rows_read(plan: Any) -> int:
    """The most rows any node of an ``EXPLAIN (ANALYZE, FORMAT JSON)`` plan produced."""
    return max([plan["Actual Rows"], *(_rows_read(child) for child in plan.get("Plans", []))])


def _work(store: ContextStore, backend: str, sql: str, params: dict[str, Any]) -> int:
    """How much a statement reads: PostgreSQL's largest row count of any plan node; SQLite's virtual
    machine steps (thousands, counted by a progress handler)."""

    def work(connection: sa.Connection) -> int:
        connection.execute(sa.text("ANALYZE store_records"))  # as the store does after a sync
        if backend == "postgresql":
            rows = connection.execute(sa.text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql), params)
            return _rows_read(rows.scalar_one()[0]["Plan"])
        steps = [0]

        def step() -> int:
            steps[0] += 1
            return 0

        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(step, 1000)
        try:
            connection.exec_driver_sql(sql, params).all()
        finally:
            raw.set_progress_handler(None, 1000)
        return steps[0]

    return store.transaction(work)


@pytest.mark.parametrize("direction", ["desc", "asc"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sorted_page_reads_about_one_page_in_either_direction(
    stores: dict[str, ContextStore], backend: str, direction: str
) -> None:
    """ "Active, by creation time" walks the ``created_at`` index and stops at the page, the first one,
    the next and a deep one alike: the rows missing ``createdAt`` are read apart (an index yields
    "missing last" in one direction only), the cursor's value is sought, and on PostgreSQL the
    statistics on the indexed field give the filter's real share (without them it guesses 0.5% and
    sorts every match). Every page is still the sorted order, missing values last."""
    store = stores[backend]
    records = _applications(8000)
    replace_records(store, "plans", "applications", records)
    query = {"filter": {"eq": {"status": "Active"}}, "sort": [{"createdAt": direction}]}
    active = sorted((r for r in records if r["status"] == "Active"), key=lambda r: r["id"])
    dated = [r for r in active if r["createdAt"]]
    expected = [r["id"] for r in sorted(dated, key=lambda r: r["createdAt"], reverse=direction == "desc")]
    expected += [r["id"] for r in active if r["createdAt"] is None]
    # The yardstick: the same filter and order over every match, which is what an unsplit page cost.
    everything = compile_search(
        parse_search("applications", {"query": query, "limit": 100}), backend, "plans"
    )
    whole = _work(store, backend, everything[0].replace("LIMIT 101", "LIMIT 100000"), everything[1])

    seen: list[str] = []
    cursor = None
    for page in range(200):
        search = parse_search("applications", {"query": query, "limit": 50, "cursor": cursor})
        if page in (0, 1, 25):  # the first page, the next, and one deep in the order
            assert _work(store, backend, *compile_search(search, backend, "plans")) * 4 < whole, page
        answer = store.read(lambda c, s=search: run_search(c, "plans", s))
        seen += [record["id"] for record in answer["data"]]
        cursor = answer["meta"]["cursor"]
        if cursor is None:
            break
    assert len(active) == 2000
    assert seen == expected


def _store_indexes(store: ContextStore) -> set[str]:
    dialect = store.engine.dialect.name
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'store_records'"
        if dialect == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'store_records' "
        "AND schemaname = current_schema()"
    )
    return set(store.transaction(lambda c: list(c.execute(sa.text(sql)).scalars())))


def test_opening_a_store_reconciles_its_indexes_with_the_declared_ones(store_url: str) -> None:
    """An index an older version declared is dropped; a declared one that is missing is created."""
    store = ContextStore.open(store_url)
    declared = index_statements(store.engine.dialect.name)
    assert declared.keys() <= _store_indexes(store)
    dropped = next(iter(declared))
    store.transaction(lambda c: c.execute(sa.text(f"DROP INDEX {dropped}")))
    store.transaction(
        lambda c: c.execute(
            sa.text("CREATE INDEX ix_store_records_q_legacy ON store_records (connector_id, entity)")
        )
    )
    store.close()
    store = ContextStore.open(store_url)
    try:
        present = _store_indexes(store)
        assert dropped in present
        assert "ix_store_records_q_legacy" not in present
        assert declared.keys() == {name for name in present if name.startswith("ix_store_records_q_")}
    finally:
        store.close()


def test_opening_a_postgresql_store_reconciles_its_statistics(stores: dict[str, ContextStore]) -> None:
    """Each indexed field has its statistics; a stale one is dropped, a missing one created."""
    url = stores["postgresql"].engine.url.render_as_string(hide_password=False)
    existing = "SELECT stxname FROM pg_statistic_ext WHERE stxrelid = 'store_records'::regclass"
    declared = statistics_statements("postgresql")
    assert len(declared) == sum(len(paths) for paths in INDEXED.values())
    assert statistics_statements("sqlite") == {}
    store = ContextStore.open(url)
    try:
        assert declared.keys() <= set(store.read(lambda c: list(c.execute(sa.text(existing)).scalars())))
        dropped = next(iter(declared))
        store.transaction(lambda c: c.execute(sa.text(f"DROP STATISTICS {dropped}")))
        store.transaction(
            lambda c: c.execute(
                sa.text("CREATE STATISTICS st_store_records_q_legacy ON entity, archived FROM store_records")
            )
        )
    finally:
        store.close()
    store = ContextStore.open(url)
    try:
        present = set(store.read(lambda c: list(c.execute(sa.text(existing)).scalars())))
        assert declared.keys() == {name for name in present if name.startswith("st_store_records_q_")}
    finally:
        store.close()
