"""``context_store_sql_query`` on SQLite and PostgreSQL: the same SQL gives the same rows (values and
types) on both; a connector's query only ever sees its own records; everything but one read-only
SELECT over the views is refused with a message saying what is allowed; runaway queries are stopped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

import pytest
import sqlalchemy as sa
import sqlglot
from sqlalchemy import Connection
from sqlglot import exp

from ashby_agent.errors import InvalidQueryError
from ashby_agent.sandbox import run_sandbox
from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.plan import STREAMS
from ashby_agent.store.query.sql import (
    DEFAULT_ROW_CAP,
    MAX_ROW_CAP,
    SQL_PARAMS,
    compile_sql,
    parse_sql,
    run_sql,
)
from ashby_agent.store.query.views import VIEW_COLUMNS, describe_view, view_columns
from ashby_agent.store.schema import records
from ashby_agent.transports.ashby import AshbyTransport

TENANT = "tenant-a"
OTHER = "tenant-b"


def insert(store: ContextStore, entity: str, records: list[dict[str, Any]], connector: str = TENANT) -> None:
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, connector, entity, records, pass_number=1, now=now))


def sql(
    store: ContextStore, params: Mapping[str, Any] | str, connector: str = TENANT, **options: Any
) -> dict[str, Any]:
    query = parse_sql({"sql": params} if isinstance(params, str) else params)
    return store.read(lambda c: run_sql(c, connector, query, **options))


def data(store: ContextStore, text: str, connector: str = TENANT) -> list[dict[str, Any]]:
    return list(sql(store, text, connector)["data"])


def job(n: int, title: str, status: str = "Open", **extra: Any) -> dict[str, Any]:
    stamp = f"2024-0{n}-15T10:30:00.000Z"
    return {"id": f"j{n}", "title": title, "status": status, "createdAt": stamp, "updatedAt": stamp, **extra}


def application(n: int, job_id: str, created: str, status: str = "Active") -> dict[str, Any]:
    return {
        "id": f"a{n}",
        "createdAt": created,
        "updatedAt": created,
        "status": status,
        "candidate": {"id": f"c{n}", "name": f"Candidate {n}"},
        "job": {"id": job_id, "title": f"title of {job_id}"},
    }


@pytest.fixture
def hiring(store: ContextStore) -> ContextStore:
    """Tenant A: three jobs and five applications. Tenant B: the same ids with other values."""
    insert(
        store,
        "jobs",
        [
            job(
                1,
                "Senior Engineer",
                confidential=True,
                hiringTeam=[
                    {"userId": "u1", "role": "Recruiter"},
                    {"userId": "u2", "role": "Hiring Manager"},
                ],
                location={"name": "Paris", "address": {"city": "Paris"}},
            ),
            job(2, "Designer", confidential=False, hiringTeam=[]),
            job(3, "Analyst", status="Closed"),
        ],
    )
    insert(
        store,
        "applications",
        [
            application(1, "j1", "2024-03-04T09:00:00.000Z"),
            application(2, "j1", "2024-03-20T09:00:00.000Z", status="Hired"),
            application(3, "j2", "2024-04-01T00:00:00.000Z"),
            application(4, "j2", "2024-04-30T23:59:59.000Z", status="Archived"),
            application(5, "j9", "2024-05-02T12:00:00.000Z"),
        ],
    )
    insert(store, "jobs", [job(1, "Other tenant's job"), job(7, "Secret job")], connector=OTHER)
    insert(store, "applications", [application(1, "j7", "2024-03-04T09:00:00.000Z")], connector=OTHER)
    return store


# --------------------------------------------------------------------------- queries


def test_join_applications_to_jobs(hiring: ContextStore) -> None:
    answer = sql(
        hiring,
        "SELECT a.id, a.status, j.title, j.confidential FROM applications AS a "
        "JOIN jobs AS j ON a.job ->> 'id' = j.id ORDER BY a.id",
    )
    assert answer["data"] == [
        {"id": "a1", "status": "Active", "title": "Senior Engineer", "confidential": True},
        {"id": "a2", "status": "Hired", "title": "Senior Engineer", "confidential": True},
        {"id": "a3", "status": "Active", "title": "Designer", "confidential": False},
        {"id": "a4", "status": "Archived", "title": "Designer", "confidential": False},
    ]
    assert answer["meta"]["columns"] == ["id", "status", "title", "confidential"]
    assert answer["meta"]["has_more"] is False
    assert answer["meta"]["row_cap"] == DEFAULT_ROW_CAP
    assert isinstance(answer["meta"]["took_ms"], float)


def test_left_join_keeps_unmatched_rows(hiring: ContextStore) -> None:
    assert data(
        hiring,
        "SELECT a.id, j.title FROM applications a LEFT JOIN jobs j ON j.id = a.job ->> 'id' "
        "WHERE j.id IS NULL",
    ) == [{"id": "a5", "title": None}]


def test_group_by_and_count(hiring: ContextStore) -> None:
    assert data(
        hiring,
        "SELECT j.title, count(*) AS applications, count(*) FILTER (WHERE a.status = 'Active') AS active "
        "FROM jobs j JOIN applications a ON a.job ->> 'id' = j.id "
        "GROUP BY j.title HAVING count(*) > 1 ORDER BY applications DESC, j.title",
    ) == [
        {"title": "Designer", "applications": 2, "active": 1},
        {"title": "Senior Engineer", "applications": 2, "active": 1},
    ]
    assert data(
        hiring,
        "SELECT date_trunc('month', created_at) AS month, count(*) AS n FROM applications "
        "GROUP BY 1 ORDER BY 1",
    ) == [{"month": "2024-03-01", "n": 2}, {"month": "2024-04-01", "n": 2}, {"month": "2024-05-01", "n": 1}]


def test_cte_subqueries_and_set_operations(hiring: ContextStore) -> None:
    assert data(
        hiring,
        "WITH open_jobs AS (SELECT id, title FROM jobs WHERE status = 'Open'), "
        "counts AS (SELECT a.job ->> 'id' AS job_id, count(*) AS n FROM applications a GROUP BY 1) "
        "SELECT o.title, coalesce(c.n, 0) AS n FROM open_jobs o LEFT JOIN counts c ON c.job_id = o.id "
        "ORDER BY o.title",
    ) == [{"title": "Designer", "n": 2}, {"title": "Senior Engineer", "n": 2}]
    # A CTE may take a view's name: the query's own definition wins, as in PostgreSQL.
    assert data(hiring, "WITH jobs AS (SELECT id FROM jobs WHERE status = 'Closed') SELECT id FROM jobs") == [
        {"id": "j3"}
    ]
    assert data(
        hiring,
        "SELECT id FROM jobs WHERE id IN (SELECT job ->> 'id' FROM applications) "
        "UNION SELECT 'extra' ORDER BY 1",
    ) == [{"id": "extra"}, {"id": "j1"}, {"id": "j2"}]
    assert data(hiring, "SELECT id FROM jobs EXCEPT SELECT job ->> 'id' FROM applications") == [{"id": "j3"}]
    # Column types flow through CTEs and subqueries: JSON parsed, booleans as booleans, on both.
    assert data(
        hiring,
        "WITH x AS (SELECT id, location, confidential FROM jobs) "
        "SELECT * FROM (SELECT location AS place, confidential AS secret FROM x WHERE id = 'j1') AS y",
    ) == [{"place": {"name": "Paris", "address": {"city": "Paris"}}, "secret": True}]


def test_the_query_alias_and_the_entities_it_reads(hiring: ContextStore) -> None:
    query = parse_sql(
        {"query": "SELECT count(*) AS n FROM applications a JOIN jobs j ON j.id = a.job ->> 'id'"}
    )
    assert query.entities == ("applications", "jobs")
    assert hiring.read(lambda c: run_sql(c, TENANT, query))["data"] == [{"n": 4}]


#: One expression per allowed function or operator, on job j1 (see ``hiring``): the same value and
#: type on both backends.
EXPRESSIONS: Final[dict[str, Any]] = {
    "lower(title)": "senior engineer",
    "upper(title)": "SENIOR ENGINEER",
    "length(title)": 15,
    "substring(title, 1, 6)": "Senior",
    "substr(title, 8)": "Engineer",
    "trim('  x  ')": "x",
    "ltrim('  x')": "x",
    "rtrim('x  ')": "x",
    "replace(title, 'Senior', 'Staff')": "Staff Engineer",
    "strpos(title, 'Eng')": 8,
    "title || '!'": "Senior Engineer!",
    "coalesce(employment_type, 'none')": "none",
    "nullif(status, 'Open')": None,
    "greatest(1, 3)": 3,
    "least(1, 3)": 1,
    "round(1.25, 1)": 1.3,
    "round(2.5)": 3,
    "abs(-4)": 4,
    "floor(2.7)": 2,
    "ceil(2.1)": 3,
    "7 / 2": 3.5,
    "7 / 0": None,
    "7 % 3": 1,
    "2 * 3 - 1": 5,
    "CAST('42' AS int)": 42,
    "CAST(42 AS text)": "42",
    "created_at": "2024-01-15T10:30:00.000Z",
    "date(created_at)": "2024-01-15",
    "CAST(created_at AS date)": "2024-01-15",
    "created_at::timestamp": "2024-01-15 10:30:00",
    "to_char(created_at, 'YYYY-MM')": "2024-01",
    "to_char(created_at, 'YYYY-MM-DD HH24:MI:SS')": "2024-01-15 10:30:00",
    "date_trunc('day', created_at)": "2024-01-15",
    "date_trunc('week', created_at)": "2024-01-15",
    "date_trunc('week', '2024-01-21T23:00:00.000Z')": "2024-01-15",
    "date_trunc('month', created_at)": "2024-01-01",
    "created_at >= '2024-01-01'": True,
    "created_at BETWEEN '2024-01-01' AND '2024-12-31'": True,
    "current_date IS NOT NULL": True,
    "confidential": True,
    "NOT confidential": False,
    "archived": False,
    "status = 'Open'": True,
    "status IN ('Open', 'Closed')": True,
    "employment_type IS NULL": True,
    "title LIKE 'Senior%'": True,
    "title ILIKE 'senior%'": True,
    "status IS DISTINCT FROM 'Closed'": True,
    "CASE WHEN confidential THEN 'secret' ELSE 'public' END": "secret",
    "CASE status WHEN 'Open' THEN 1 ELSE 0 END": 1,
    "location": {"name": "Paris", "address": {"city": "Paris"}},
    "location -> 'address'": {"city": "Paris"},
    "location -> 'address' ->> 'city'": "Paris",
    "hiring_team -> 1 ->> 'role'": "Hiring Manager",
    "hiring_team -> 0": {"userId": "u1", "role": "Recruiter"},
    "json_array_length(hiring_team)": 2,
    "EXISTS (SELECT 1 FROM applications WHERE job ->> 'id' = jobs.id)": True,
    "(SELECT count(*) FROM applications)": 5,
}


def test_functions_mean_the_same_on_both_backends(hiring: ContextStore) -> None:
    columns = ", ".join(f"{expression} AS c{n}" for n, expression in enumerate(EXPRESSIONS))
    (row,) = data(hiring, f"SELECT {columns} FROM jobs WHERE id = 'j1'")
    got = {expression: row[f"c{n}"] for n, expression in enumerate(EXPRESSIONS)}
    assert got == EXPRESSIONS
    assert {e: type(v).__name__ for e, v in got.items()} == {
        e: type(v).__name__ for e, v in EXPRESSIONS.items()
    }


def test_aggregates_and_window_functions(store: ContextStore) -> None:
    insert(
        store,
        "application_history",
        [
            {
                "id": f"h{n}",
                "stageId": "s",
                "title": title,
                "stageNumber": number,
                "enteredStageAt": "2024-01-01T00:00:00.000Z",
            }
            for n, (title, number) in enumerate([("Screen", 1), ("Onsite", 2), ("Offer", 6), ("Screen", 6)])
        ],
    )
    assert data(
        store,
        "SELECT count(*) AS n, count(DISTINCT title) AS titles, sum(stage_number) AS total, "
        "avg(stage_number) AS mean, min(stage_number) AS low, max(title) AS last, "
        "bool_or(stage_number > 5) AS some, bool_and(stage_number > 5) AS every_one FROM application_history",
    ) == [
        {
            "n": 4,
            "titles": 3,
            "total": 15,
            "mean": 3.75,
            "low": 1,
            "last": "Screen",
            "some": True,
            "every_one": False,
        }
    ]
    assert data(
        store,
        "SELECT id, row_number() OVER (ORDER BY stage_number, id) AS rn, "
        "rank() OVER (ORDER BY stage_number) AS rk, "
        "dense_rank() OVER (ORDER BY stage_number) AS dr, lag(title) OVER (ORDER BY id) AS prev, "
        "lead(title) OVER (ORDER BY id) AS next, first_value(title) OVER (ORDER BY id) AS first "
        "FROM application_history ORDER BY id",
    ) == [
        {"id": "h0", "rn": 1, "rk": 1, "dr": 1, "prev": None, "next": "Onsite", "first": "Screen"},
        {"id": "h1", "rn": 2, "rk": 2, "dr": 2, "prev": "Screen", "next": "Offer", "first": "Screen"},
        {"id": "h2", "rn": 3, "rk": 3, "dr": 3, "prev": "Onsite", "next": "Screen", "first": "Screen"},
        {"id": "h3", "rn": 4, "rk": 3, "dr": 3, "prev": "Offer", "next": None, "first": "Screen"},
    ]
    (row,) = data(
        store, "SELECT string_agg(title, ',') AS titles FROM application_history WHERE stage_number = 6"
    )
    assert sorted(row["titles"].split(",")) == ["Offer", "Screen"]


def test_output_column_names(hiring: ContextStore) -> None:
    answer = sql(
        hiring,
        "SELECT a.id, j.id, count(*) FROM applications a JOIN jobs j ON j.id = a.job ->> 'id' "
        "GROUP BY 1, 2 ORDER BY 1 LIMIT 1",
    )
    assert answer["meta"]["columns"] == ["id", "id_2", "_col_2"]
    assert answer["data"] == [{"id": "a1", "id_2": "j1", "_col_2": 1}]
    star = sql(hiring, "SELECT * FROM jobs WHERE id = 'j3'")
    assert star["meta"]["columns"] == [column.name for column in view_columns("jobs")]
    assert star["data"][0]["title"] == "Analyst"
    assert star["data"][0]["hiring_team"] is None


# --------------------------------------------------------------------------- tenants


LEAKY = [
    "SELECT title FROM jobs WHERE id = 'nothing' OR 1=1",
    "SELECT title FROM jobs WHERE id IN (SELECT id FROM jobs) OR true",
    "SELECT title FROM jobs UNION SELECT title FROM jobs",
    "SELECT title FROM jobs UNION ALL SELECT job ->> 'title' FROM applications WHERE false",
    "SELECT (SELECT max(title) FROM jobs j2 WHERE j2.id = j.id) AS title FROM jobs j",
    "WITH everything AS (SELECT * FROM jobs) SELECT title FROM everything",
    "SELECT j.title FROM jobs j CROSS JOIN applications a GROUP BY j.title",
    "SELECT title FROM (SELECT * FROM jobs) AS jobs_again",
]


@pytest.mark.parametrize("text", LEAKY)
def test_tenants_never_see_each_others_rows(hiring: ContextStore, text: str) -> None:
    mine = {row["title"] for row in data(hiring, text)}
    theirs = {row["title"] for row in data(hiring, text, connector=OTHER)}
    assert mine == {"Senior Engineer", "Designer", "Analyst"}
    assert theirs == {"Other tenant's job", "Secret job"}


def test_a_connector_without_records_sees_nothing(hiring: ContextStore) -> None:
    assert data(hiring, "SELECT count(*) AS n FROM jobs WHERE 1=1 OR id <> ''", connector="tenant-c") == [
        {"n": 0}
    ]


def test_every_view_reference_is_a_subquery_filtered_by_the_bound_connector() -> None:
    query = parse_sql(
        {"sql": "WITH x AS (SELECT id FROM jobs) SELECT * FROM applications a, x, (SELECT 1 FROM jobs) s"}
    )
    for name, placeholder in (("sqlite", ":ashby_connector_id"), ("postgresql", "%(ashby_connector_id)s")):
        text, params = compile_sql(query, name, "tenant-z")
        assert params == {"ashby_connector_id": "tenant-z"}
        assert "tenant-z" not in text
        tree = sqlglot.parse_one(text, read="sqlite" if name == "sqlite" else "postgres")
        assert {table.name for table in tree.find_all(exp.Table)} == {"store_records", "x"}
        filters = re.findall(
            r"FROM store_records AS r WHERE r\.connector_id = (\S+) AND r\.entity = '(\w+)'", text
        )
        assert sorted(filters) == sorted(
            [(placeholder, "jobs"), (placeholder, "applications"), (placeholder, "jobs")]
        )


# --------------------------------------------------------------------------- refusals


REFUSED = [
    ("SELECT 1; SELECT 2", "exactly one statement"),
    ("SELECT 1; DELETE FROM jobs", "exactly one statement"),
    ("INSERT INTO jobs (id) VALUES ('x')", "got INSERT"),
    ("UPDATE jobs SET title = 'x'", "got UPDATE"),
    ("DELETE FROM jobs", "got DELETE"),
    ("DROP TABLE store_records", "got DROP"),
    ("CREATE TABLE t (a int)", "got CREATE"),
    ("ALTER TABLE jobs ADD COLUMN x int", "got ALTER"),
    ("ATTACH DATABASE '/tmp/other.db' AS other", "got ATTACH"),
    ("PRAGMA table_info(store_records)", "got PRAGMA"),
    ("COPY jobs TO '/tmp/jobs.csv'", "got COPY"),
    ("SET statement_timeout = 0", "got SET"),
    ("EXPLAIN SELECT 1", "got EXPLAIN"),
    ("VALUES (1)", "got VALUES"),
    ("  -- a comment\n INSERT INTO jobs (id) VALUES ('x')", "got INSERT"),
    ("WITH x AS (DELETE FROM jobs RETURNING *) SELECT * FROM x", "DELETE is not supported"),
    ("SELECT * INTO copy_of_jobs FROM jobs", "INTO is not supported"),
    ("SELECT * FROM jobs FOR UPDATE", "LOCKS is not supported"),
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t", "WITH RECURSIVE"),
    ("SELECT * FROM store_records", "Unknown table 'store_records'"),
    ("SELECT * FROM store_streams", "Unknown table 'store_streams'"),
    ("SELECT * FROM sqlite_master", "Unknown table 'sqlite_master'"),
    ("SELECT * FROM sqlite_schema", "Unknown table 'sqlite_schema'"),
    ("SELECT * FROM pg_tables", "Unknown table 'pg_tables'"),
    ("SELECT * FROM pg_catalog.pg_class", "names a schema"),
    ("SELECT * FROM information_schema.tables", "names a schema"),
    ("SELECT * FROM public.jobs", "names a schema"),
    ("SELECT * FROM main.jobs", "names a schema"),
    ('SELECT * FROM "Jobs"', "Unknown table 'Jobs'"),
    ("SELECT * FROM jobs WHERE id IN (SELECT record_id FROM store_records)", "Unknown table 'store_records'"),
    ("WITH store_records AS (SELECT 1 AS x) SELECT * FROM jobs", "reserved"),
    ("SELECT * FROM pragma_table_info('store_records')", "FROM takes views or CTEs"),
    ("SELECT * FROM generate_series(1, 10)", "FROM takes views or CTEs"),
    ("SELECT pg_sleep(10)", "pg_sleep() is not allowed"),
    ("SELECT pg_read_file('/etc/passwd')", "pg_read_file() is not allowed"),
    ("SELECT load_extension('evil')", "load_extension() is not allowed"),
    ("SELECT randomblob(1000000000)", "randomblob() is not allowed"),
    ("SELECT set_config('statement_timeout', '0', false)", "set_config() is not allowed"),
    ("SELECT current_setting('data_directory')", "current_setting() is not allowed"),
    ("SELECT dblink('host=x', 'SELECT 1')", "dblink() is not allowed"),
    ("SELECT lo_import('/etc/passwd')", "lo_import() is not allowed"),
    ("SELECT version()", "is not allowed"),
    ("SELECT current_user", "is not allowed"),
    ("SELECT now()", "is not allowed"),
    ("SELECT md5(title) FROM jobs", "md5() is not allowed"),
    ("SELECT no_such_function(title) FROM jobs", "no_such_function() is not allowed"),
    ("SELECT 'store_records'::regclass", "CAST to REGCLASS is not allowed"),
    ("SELECT created_at::timestamptz FROM jobs", "CAST to TIMESTAMPTZ is not allowed"),
    ("SELECT $1", "Bind parameters"),
    ("SELECT * FROM jobs WHERE id = :id", "Bind parameters"),
    ("SELECT interval '1 day'", "INTERVAL is not supported"),
    ("SELECT * FROM jobs, LATERAL (SELECT 1) x", "LATERAL is not supported"),
    ("SELECT * FROM jobs TABLESAMPLE SYSTEM (10)", "not supported on a table"),
    ("SELECT * FROM jobs AS j(a, b)", "Column aliases on a table"),
    ("SELECT DISTINCT ON (status) status FROM jobs", "DISTINCT ON"),
    ("SELECT date_trunc('year', created_at) FROM jobs", "date_trunc takes 'day', 'week' or 'month'"),
    ("SELECT to_char(created_at, 'Day') FROM jobs", "to_char takes a literal format"),
    ("SELECT hiring_team #> '{0}' FROM jobs", "is not allowed"),
    ("SELECT nope FROM jobs", "Column 'nope' could not be resolved"),
    ("SELECT j.nope FROM jobs j", "nope"),
    ("SELECT FROM WHERE", "does not parse"),
]


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_refused_with_a_message_saying_what_is_allowed(text: str, expected: str) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql({"sql": text})
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and "Traceback" not in message
    assert caught.value.where == "sql"


def test_unknown_columns_list_the_views_columns() -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql({"sql": "SELECT titel FROM jobs"})
    assert describe_view("jobs") in str(caught.value)
    assert "jobs.title" in caught.value.valid


def test_unknown_tables_list_the_views() -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql({"sql": "SELECT * FROM job"})
    assert caught.value.valid == list(STREAMS)


def test_unknown_functions_list_the_allowed_ones() -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql({"sql": "SELECT pg_sleep(1)"})
    assert {"count", "coalesce", "lower", "date_trunc", "json_array_length"} <= set(caught.value.valid)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (None, "params must be an object"),
        ({}, "params.sql is the SELECT statement"),
        ({"sql": ""}, "params.sql is the SELECT statement"),
        ({"sql": 5}, "params.sql is the SELECT statement"),
        ({"sql": "SELECT 1", "timeout": 100}, "Unknown params key(s) 'timeout'; valid: sql, query, limit."),
        ({"sql": "SELECT 1", "query": "SELECT 2"}, "once"),
        ({"sql": "SELECT 1", "limit": 0}, "from 1 to 1000"),
        ({"sql": "SELECT 1", "limit": MAX_ROW_CAP + 1}, "from 1 to 1000"),
        ({"sql": "SELECT 1", "limit": "10"}, "from 1 to 1000"),
        ({"sql": "SELECT 1", "limit": True}, "from 1 to 1000"),
        ({"sql": "SELECT 1 " + " " * 20_000}, "characters long"),
    ],
)
def test_bad_params(params: Any, expected: str) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql(params)
    assert expected in str(caught.value)


def test_unknown_keys_list_the_valid_ones() -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_sql({"sql": "SELECT 1", "fresh": True})
    assert caught.value.valid == list(SQL_PARAMS)


def test_database_errors_become_invalid_query_errors(hiring: ContextStore) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        sql(hiring, "SELECT json_array_length(title) FROM jobs")
    message = str(caught.value)
    assert message.startswith("The query failed: ")
    assert "\n" not in message and "Traceback" not in message and "store_records" not in message


# --------------------------------------------------------------------------- bounds


def test_the_row_cap(store: ContextStore) -> None:
    insert(store, "jobs", [job(1, f"Job {n:03}") | {"id": f"j{n:03}"} for n in range(DEFAULT_ROW_CAP + 5)])
    default = sql(store, "SELECT id FROM jobs ORDER BY id")
    assert len(default["data"]) == DEFAULT_ROW_CAP
    assert default["data"][-1] == {"id": f"j{DEFAULT_ROW_CAP - 1:03}"}
    assert default["meta"]["has_more"] is True
    assert default["meta"]["row_cap"] == DEFAULT_ROW_CAP
    capped = sql(store, {"sql": "SELECT id FROM jobs ORDER BY id", "limit": 10})
    assert [row["id"] for row in capped["data"]] == [f"j{n:03}" for n in range(10)]
    assert capped["meta"]["has_more"] is True
    assert capped["meta"]["row_cap"] == 10
    everything = sql(store, {"sql": "SELECT id FROM jobs", "limit": MAX_ROW_CAP})
    assert len(everything["data"]) == DEFAULT_ROW_CAP + 5
    assert everything["meta"]["has_more"] is False
    own = sql(store, {"sql": "SELECT id FROM jobs ORDER BY id LIMIT 5 OFFSET 2", "limit": 10})
    assert [row["id"] for row in own["data"]] == ["j002", "j003", "j004", "j005", "j006"]
    assert own["meta"]["has_more"] is False
    bigger = sql(store, {"sql": "SELECT id FROM jobs LIMIT 50", "limit": 10})
    assert len(bigger["data"]) == 10
    assert bigger["meta"]["has_more"] is True
    computed = sql(store, {"sql": "SELECT id FROM jobs ORDER BY id LIMIT (SELECT 3)", "limit": 2})
    assert [row["id"] for row in computed["data"]] == ["j000", "j001"]
    assert computed["meta"]["has_more"] is True


def test_a_runaway_query_is_stopped_and_the_connection_left_as_found(store: ContextStore) -> None:
    insert(store, "jobs", [job(1, "x") | {"id": f"j{n}"} for n in range(300)])
    runaway = parse_sql({"sql": "SELECT count(*) FROM jobs a, jobs b, jobs c"})  # 27 million rows
    quick = parse_sql({"sql": "SELECT count(*) AS n FROM jobs"})

    count_to = (  # raw SQL, around the checks: long enough to meet a leftover progress handler
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) "
        "SELECT count(*) FROM c"
    )
    postgres = store.engine.dialect.name == "postgresql"

    def work(connection: Connection) -> tuple[Any, ...]:
        before = connection.exec_driver_sql("SHOW statement_timeout").scalar() if postgres else None
        with pytest.raises(InvalidQueryError) as caught:
            run_sql(connection, TENANT, runaway, timeout=0.05)
        assert (
            str(caught.value) == "The query took longer than 0.05 s and was stopped; add a filter or LIMIT."
        )
        # The same transaction is still usable, with neither the progress handler nor the timeout left.
        after = connection.exec_driver_sql("SHOW statement_timeout").scalar() if postgres else None
        counted = connection.exec_driver_sql(count_to).scalar()
        return run_sql(connection, TENANT, quick)["data"], counted, before == after

    assert store.read(work) == ([{"n": 300}], 20000, True)
    insert(
        store, "jobs", [job(2, "written after") | {"id": "new"}]
    )  # the pooled connection is writable again
    assert data(store, "SELECT count(*) AS n FROM jobs") == [{"n": 301}]


def test_the_transaction_is_read_only(store: ContextStore) -> None:
    query = parse_sql({"sql": "SELECT 1 AS one"})

    def work(connection: Connection) -> tuple[Any, Any]:
        answer = run_sql(connection, TENANT, query)
        if connection.dialect.name == "postgresql":
            state = connection.exec_driver_sql("SHOW transaction_read_only").scalar()
        else:  # SQLite: query_only is on only while the statement runs
            state = connection.exec_driver_sql("PRAGMA query_only").scalar()
        return answer["data"], state

    answer, state = store.read(work)
    assert answer == [{"one": 1}]
    assert state == ("on" if store.engine.dialect.name == "postgresql" else 0)


# --------------------------------------------------------------------------- views


def test_every_stored_entity_has_a_view_of_snake_case_columns() -> None:
    assert list(VIEW_COLUMNS) == list(STREAMS)
    for entity, columns in VIEW_COLUMNS.items():
        names = [column.name for column in columns]
        assert len(names) == len(set(names)), entity
        assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", name) for name in names), entity
        assert "archived" in names
    applications = {column.name: column.type for column in VIEW_COLUMNS["applications"]}
    assert applications["current_interview_stage"] == "json"
    assert applications["hiring_team"] == "json"
    assert applications["created_at"] == "text"
    assert {column.name: column.type for column in VIEW_COLUMNS["jobs"]}["confidential"] == "boolean"
    assert {column.name: column.type for column in VIEW_COLUMNS["application_history"]}[
        "stage_number"
    ] == "number"
    assert (
        describe_view("brands") == "brands(id text, name text, hosted_jobs_page_slug text, archived boolean)"
    )


def _as_view_row(entity: str, record: dict[str, Any], archived: bool) -> dict[str, Any]:
    row = {column.name: record.get(column.key) for column in view_columns(entity) if column.key}
    if any(column.name == "archived" and not column.key for column in view_columns(entity)):
        row["archived"] = archived
    return row


async def test_every_view_reads_a_replicated_sandbox_faithfully(store: ContextStore) -> None:
    with run_sandbox(seed=7, scale="small") as sandbox:
        async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
            report = await store.replicate(transport, TENANT)
    assert report.ok
    stored = store.transaction(
        lambda c: c.execute(
            sa.select(records.c.entity, records.c.data, records.c.archived)
            .where(records.c.connector_id == TENANT)
            .order_by(records.c.entity, records.c.record_id)
        ).all()
    )
    expected: dict[str, list[dict[str, Any]]] = {entity: [] for entity in STREAMS}
    for entity, document, archived in stored:
        expected[entity].append(_as_view_row(entity, document, bool(archived)))
    assert sum(map(len, expected.values())) > 1000
    for entity in STREAMS:
        answer = sql(store, {"sql": f"SELECT * FROM {entity} ORDER BY id", "limit": MAX_ROW_CAP})
        assert answer["data"] == expected[entity][:MAX_ROW_CAP], entity
