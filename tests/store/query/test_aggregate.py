"""``context_store_aggregate`` on SQLite and PostgreSQL: every test runs on both and expects the same
exact answer (values and their types), so the two backends agree by construction.

Small hand-made records pin the semantics (buckets, list keys, nulls, ties, display names, tenants);
one test checks an aggregate of a replicated sandbox against the same figures computed in Python from
the sandbox's own records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from ashby_agent.errors import InvalidQueryError
from ashby_agent.sandbox import run_sandbox
from ashby_agent.store import rows
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.aggregate import compile_aggregate, parse_aggregate, run_aggregate
from ashby_agent.transports.ashby import AshbyTransport

TENANT = "tenant-a"
OTHER = "tenant-b"


def insert(store: ContextStore, entity: str, records: list[dict[str, Any]], connector: str = TENANT) -> None:
    now = datetime.now(UTC)
    store.transaction(lambda c: rows.upsert_page(c, connector, entity, records, pass_number=1, now=now))


def aggregate(
    store: ContextStore, entity: str, params: Mapping[str, Any] | None, connector: str = TENANT
) -> dict[str, Any]:
    agg = parse_aggregate(entity, params)
    return store.read(lambda c: run_aggregate(c, connector, agg))


def data(store: ContextStore, entity: str, params: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return list(aggregate(store, entity, params)["data"])


def application(
    n: int,
    created: str,
    source: str | None,
    candidate: str,
    order: int | None,
    status: str = "Active",
    department: str = "d-eng",
    archived_at: str | None = None,
) -> dict[str, Any]:
    return {
        "id": f"a{n}",
        "createdAt": created,
        "updatedAt": created,
        "status": status,
        "candidate": {"id": candidate, "name": candidate.upper()},
        "source": {"id": f"s-{source.lower()}", "title": source} if source else None,
        "job": {"id": "j1", "title": "Engineer", "departmentId": department},
        "currentInterviewStage": {"id": "st1", "orderInInterviewPlan": order},
        "hiringTeam": [{"userId": "u1", "role": "Recruiter"}],
        "archivedAt": archived_at,
    }


APPLICATIONS = [
    application(1, "2024-05-05T23:59:59.999Z", "LinkedIn", "c1", 1),  # a Sunday
    application(
        2, "2024-05-06T00:00:00.000Z", "LinkedIn", "c1", 2, "Archived", archived_at="2024-05-07T00:00:00.000Z"
    ),
    application(3, "2024-05-12T10:00:00.000Z", "LinkedIn", "c2", 4),
    application(4, "2024-05-31T23:59:59.999Z", "Referral", "c3", 3, "Hired"),
    application(5, "2024-06-01T00:00:00.000Z", "Referral", "c3", None, department="d-sales"),
    application(6, "2024-06-03T08:00:00.000Z", None, "c4", 5),
]
BY_SOURCE = {
    "group_by": ["source.title"],
    "metrics": {
        "applications": {"count": "*"},
        "people": {"count_distinct": "candidate.id"},
        "archived": {"count": "archivedAt"},
        "first": {"min": "createdAt"},
        "last": {"max": "createdAt"},
        "stages": {"sum": "currentInterviewStage.orderInInterviewPlan"},
        "mean": {"avg": "currentInterviewStage.orderInInterviewPlan"},
    },
}


@pytest.fixture
def apps(store: ContextStore) -> ContextStore:
    insert(store, "applications", APPLICATIONS)
    return store


def test_every_metric_by_a_nested_key(apps: ContextStore) -> None:
    answer = aggregate(apps, "applications", BY_SOURCE)
    assert answer["data"] == [
        {
            "source.title": "LinkedIn",
            "applications": 3,
            "people": 2,
            "archived": 1,
            "first": "2024-05-05T23:59:59.999Z",
            "last": "2024-05-12T10:00:00.000Z",
            "stages": 7,
            "mean": 7 / 3,
        },
        {
            "source.title": "Referral",
            "applications": 2,
            "people": 1,
            "archived": 0,
            "first": "2024-05-31T23:59:59.999Z",
            "last": "2024-06-01T00:00:00.000Z",
            "stages": 3,
            "mean": 3.0,
        },
        {
            "source.title": None,
            "applications": 1,
            "people": 1,
            "archived": 0,
            "first": "2024-06-03T08:00:00.000Z",
            "last": "2024-06-03T08:00:00.000Z",
            "stages": 5,
            "mean": 5.0,
        },
    ]
    row = answer["data"][0]
    assert [type(row[name]) for name in ("applications", "people", "stages", "mean")] == [
        int,
        int,
        int,
        float,
    ]
    assert answer["meta"]["has_more"] is False
    assert isinstance(answer["meta"]["took_ms"], float)


def test_without_group_by_one_row_covers_every_match(apps: ContextStore) -> None:
    assert data(apps, "applications", None) == [{"count": 6}]
    nothing = {"filter": {"eq": {"status": "Lead"}}, "metrics": BY_SOURCE["metrics"]}
    assert data(apps, "applications", nothing) == [
        {
            "applications": 0,
            "people": 0,
            "archived": 0,
            "first": None,
            "last": None,
            "stages": None,
            "mean": None,
        }
    ]
    active = {
        "filter": {"eq": {"status": "Active"}},
        "metrics": {"n": {"count": "*"}, "top": {"max": "source.title"}},
    }
    assert data(apps, "applications", active) == [{"n": 4, "top": "Referral"}]


def test_week_and_month_buckets_start_on_monday_and_the_first(apps: ContextStore) -> None:
    week = {"field": "createdAt", "bucket": "week"}
    assert data(apps, "applications", {"group_by": [week], "sort": ["createdAt.week"]}) == [
        {"createdAt.week": "2024-04-29", "count": 1},
        {"createdAt.week": "2024-05-06", "count": 2},
        {"createdAt.week": "2024-05-27", "count": 2},
        {"createdAt.week": "2024-06-03", "count": 1},
    ]
    month = {"field": "createdAt", "bucket": "month"}
    assert data(apps, "applications", {"group_by": [month, "status"]}) == [
        {"createdAt.month": "2024-05-01", "status": "Active", "count": 2},
        {"createdAt.month": "2024-06-01", "status": "Active", "count": 2},
        {"createdAt.month": "2024-05-01", "status": "Archived", "count": 1},
        {"createdAt.month": "2024-05-01", "status": "Hired", "count": 1},
    ]


def test_buckets_of_a_date_field_and_fractional_sums(store: ContextStore) -> None:
    def offer(n: int, start: str, salary: float) -> dict[str, Any]:
        return {"id": f"o{n}", "latestVersion": {"startDate": start, "salary": {"value": salary}}}

    insert(
        store,
        "offers",
        [offer(1, "2024-05-12", 100.5), offer(2, "2024-05-06", 200.25), offer(3, "2024-05-13", 7)],
    )
    params = {
        "group_by": [{"field": "latestVersion.startDate", "bucket": "week"}],
        "metrics": {"n": {"count": "*"}, "total": {"sum": "latestVersion.salary.value"}},
    }
    assert data(store, "offers", params) == [
        {"latestVersion.startDate.week": "2024-05-06", "n": 2, "total": 300.75},
        {"latestVersion.startDate.week": "2024-05-13", "n": 1, "total": 7},
    ]
    overall = {
        "metrics": {
            "mean": {"avg": "latestVersion.salary.value"},
            "latest": {"max": "latestVersion.startDate"},
        }
    }
    assert data(store, "offers", overall) == [{"mean": 307.75 / 3, "latest": "2024-05-13"}]


@pytest.mark.parametrize(
    ("having", "titles"),
    [
        ({"gte": {"applications": 2}}, ["LinkedIn", "Referral"]),
        ({"eq": {"source.title": None}}, [None]),
        ({"or": [{"in": {"source.title": ["Referral"]}}, {"gt": {"mean": 4}}]}, ["Referral", None]),
        ({"not": {"eq": {"source.title": "LinkedIn"}}}, ["Referral", None]),
        ({"neq": {"source.title": "LinkedIn"}, "lte": {"people": 1}}, ["Referral", None]),
        ({"lt": {"first": "2024-05-06"}}, ["LinkedIn"]),
        ({"in": {"source.title": [None, "LinkedIn"]}}, ["LinkedIn", None]),
        ({"and": [{"gt": {"applications": 1}}, {"lt": {"mean": 3}}]}, ["LinkedIn"]),
    ],
)
def test_having_filters_groups(apps: ContextStore, having: dict[str, Any], titles: list[str | None]) -> None:
    rows_ = data(apps, "applications", {**BY_SOURCE, "having": having})
    assert [row["source.title"] for row in rows_] == titles


def test_sort_ties_and_limit(apps: ContextStore) -> None:
    by_status = {"group_by": ["status"]}
    # Default: the first metric descending, ties by the group keys ascending.
    assert data(apps, "applications", by_status) == [
        {"status": "Active", "count": 4},
        {"status": "Archived", "count": 1},
        {"status": "Hired", "count": 1},
    ]
    descending = data(apps, "applications", {**by_status, "sort": [{"status": "desc"}]})
    assert [row["status"] for row in descending] == ["Hired", "Archived", "Active"]
    ascending = data(apps, "applications", {**by_status, "sort": [{"count": "asc"}]})
    assert [row["status"] for row in ascending] == ["Archived", "Hired", "Active"]
    page = aggregate(apps, "applications", {**by_status, "limit": 2})
    assert [row["status"] for row in page["data"]] == ["Active", "Archived"]
    assert page["meta"]["has_more"] is True
    assert aggregate(apps, "applications", {**by_status, "limit": 3})["meta"]["has_more"] is False
    nulls = data(apps, "applications", {"group_by": ["source.title"], "sort": [{"source.title": "desc"}]})
    assert [row["source.title"] for row in nulls] == ["Referral", "LinkedIn", None]


def test_boolean_and_number_keys_come_back_typed(store: ContextStore) -> None:
    insert(
        store,
        "jobs",
        [
            {"id": "j1", "title": "A", "confidential": True},
            {"id": "j2", "title": "B", "confidential": False},
            {"id": "j3", "title": "C", "confidential": "yes"},  # not a boolean: no value on either backend
        ],
    )
    keyed = data(store, "jobs", {"group_by": [{"field": "confidential"}], "sort": ["confidential"]})
    assert keyed == [
        {"confidential": False, "count": 1},
        {"confidential": True, "count": 1},
        {"confidential": None, "count": 1},
    ]
    assert [type(row["confidential"]) for row in keyed[:2]] == [bool, bool]
    having = {"group_by": ["confidential"], "having": {"eq": {"confidential": True}}}
    assert data(store, "jobs", having) == [{"confidential": True, "count": 1}]
    insert(
        store,
        "applications",
        [{**APPLICATIONS[0], "id": "a7", "currentInterviewStage": {"orderInInterviewPlan": "7"}}],
    )
    insert(store, "applications", APPLICATIONS)
    orders = data(
        store,
        "applications",
        {
            "group_by": ["currentInterviewStage.orderInInterviewPlan"],
            "sort": [{"currentInterviewStage.orderInInterviewPlan": "asc"}],
        },
    )
    assert [row["currentInterviewStage.orderInInterviewPlan"] for row in orders] == [1, 2, 3, 4, 5, None]
    assert orders[-1]["count"] == 2
    assert type(orders[0]["currentInterviewStage.orderInInterviewPlan"]) is int


def test_a_list_path_groups_by_each_element(store: ContextStore) -> None:
    def candidate(n: int, *tags: str) -> dict[str, Any]:
        record: dict[str, Any] = {"id": f"c{n}", "name": f"C{n}", "createdAt": f"2024-01-0{n}T00:00:00.000Z"}
        if tags != ("missing",):
            record["tags"] = [{"id": f"t-{tag.lower()}", "title": tag} for tag in tags]
        return record

    insert(
        store,
        "candidates",
        [
            candidate(1, "Boomerang", "Referral"),
            candidate(2, "Boomerang"),
            candidate(3),
            candidate(4, "missing"),
            candidate(5, "Referral", "Referral"),  # one record counts once in its group
        ],
    )
    insert(store, "candidate_tags", [{"id": "t-boomerang", "title": "Boomerang"}])
    params = {"group_by": ["tags.title"], "metrics": {"n": {"count": "*"}, "first": {"min": "createdAt"}}}
    assert data(store, "candidates", params) == [
        {"tags.title": "Boomerang", "n": 2, "first": "2024-01-01T00:00:00.000Z"},
        {"tags.title": "Referral", "n": 2, "first": "2024-01-01T00:00:00.000Z"},
        {"tags.title": None, "n": 2, "first": "2024-01-03T00:00:00.000Z"},
    ]
    by_id = data(store, "candidates", {"group_by": ["tags.id"], "having": {"neq": {"tags.id": None}}})
    assert by_id == [
        {"tags.id": "t-boomerang", "tags.id.name": "Boomerang", "count": 2},
        {"tags.id": "t-referral", "tags.id.name": None, "count": 2},
    ]


def test_display_names_come_from_the_same_tenant(apps: ContextStore) -> None:
    insert(apps, "departments", [{"id": "d-eng", "name": "Engineering"}])
    insert(
        apps, "departments", [{"id": "d-eng", "name": "Impostor"}, {"id": "d-sales", "name": "Sales"}], OTHER
    )
    insert(apps, "users", [{"id": "u1", "firstName": "Ada", "lastName": "Lovelace"}])
    insert(apps, "sources", [{"id": "s-linkedin", "title": "LinkedIn (source)"}])
    by_department = data(apps, "applications", {"group_by": ["job.departmentId"]})
    assert by_department == [
        {"job.departmentId": "d-eng", "job.departmentId.name": "Engineering", "count": 5},
        {"job.departmentId": "d-sales", "job.departmentId.name": None, "count": 1},
    ]
    by_people = data(apps, "applications", {"group_by": ["hiringTeam.userId", "source.id"], "limit": 1})
    assert by_people == [
        {
            "hiringTeam.userId": "u1",
            "hiringTeam.userId.name": "Ada Lovelace",
            "source.id": "s-linkedin",
            "source.id.name": "LinkedIn (source)",
            "count": 3,
        }
    ]
    # The other tenant sees its own names and none of the first tenant's records.
    insert(apps, "jobs", [{"id": "j9", "title": "Seller", "departmentId": "d-eng"}], OTHER)
    other = aggregate(apps, "jobs", {"group_by": ["departmentId"]}, connector=OTHER)["data"]
    assert other == [{"departmentId": "d-eng", "departmentId.name": "Impostor", "count": 1}]


@pytest.mark.parametrize(
    ("entity", "field", "referenced"),
    [
        ("applications", "job.departmentId", "departments"),
        ("applications", "job.id", "jobs"),
        ("applications", "candidate.id", "candidates"),
        ("applications", "source.id", "sources"),
        ("applications", "creditedToUser.id", "users"),
        ("applications", "hiringTeam.userId", "users"),
        ("applications", "currentInterviewStage.id", "interview_stages"),
        ("jobs", "locationId", "locations"),
        ("departments", "parentId", "departments"),
        ("candidates", "tags.id", "candidate_tags"),
        ("candidates", "applicationIds", "applications"),
        ("applications", "id", None),
        ("applications", "source.title", None),
        ("offers", "latestVersion.id", None),
    ],
)
def test_which_keys_are_references(entity: str, field: str, referenced: str | None) -> None:
    (key,) = parse_aggregate(entity, {"group_by": [field]}).group_by
    assert key.reference == referenced


def test_every_store_records_scan_is_confined_to_the_tenant() -> None:
    agg = parse_aggregate("applications", {"group_by": ["job.departmentId", "candidate.id"]})
    for dialect in ("sqlite", "postgresql"):
        sql, params = compile_aggregate(agg, dialect, "tenant-x")
        (tenant,) = [name for name, value in params.items() if value == "tenant-x"]
        assert sql.count("store_records AS ") == 3
        assert sql.count(f"connector_id = :{tenant}") == 3


def test_fresh_is_carried() -> None:
    assert parse_aggregate("applications", {"fresh": True}).fresh is True
    assert parse_aggregate("applications", None).fresh is False


@pytest.mark.parametrize(
    ("entity", "params", "message", "valid"),
    [
        (
            "applications",
            {"groupBy": ["status"]},
            "Unknown params key(s) 'groupBy'. Did you mean 'group_by'?",
            "group_by",
        ),
        ("nothing", {}, "'nothing' is not kept in the context store", "applications"),
        (
            "applications",
            {"group_by": ["sorce.title"]},
            "Unknown field 'sorce.title' for applications.",
            "source",
        ),
        (
            "applications",
            {"group_by": ["source"]},
            "group by a text, number, boolean, date or time field (e.g. 'source.id')",
            None,
        ),
        (
            "applications",
            {"group_by": [{"field": "status", "bucket": "week"}]},
            "bucket needs a date or time field",
            None,
        ),
        (
            "applications",
            {"group_by": [{"field": "createdAt", "bucket": "year"}]},
            "bucket must be one of day, week, month",
            "month",
        ),
        (
            "applications",
            {"group_by": [{"path": "createdAt"}]},
            'A group_by entry is a field path or {"field"',
            "field",
        ),
        ("applications", {"group_by": ["status", "status"]}, "group_by names 'status' more than once", None),
        (
            "applications",
            {"group_by": ["hiringTeam.role", "openings.id"]},
            "group_by keys go through different lists",
            None,
        ),
        (
            "applications",
            {"metrics": {"m": {"median": "createdAt"}}},
            "Unknown metric function 'median' in 'm'.",
            "avg",
        ),
        (
            "applications",
            {"metrics": {"m": {"sum": "status"}}},
            "Metric 'm': sum needs a number field; applications.status is string.",
            None,
        ),
        ("applications", {"metrics": {"m": {"max": "hiringTeam.email"}}}, "is inside a list", None),
        ("applications", {"metrics": {"m": {"min": "*"}}}, "'*' is only for count", None),
        (
            "applications",
            {"metrics": {"m": {"count": "candidate.nope"}}},
            "Unknown field 'candidate.nope'",
            "name",
        ),
        (
            "applications",
            {"metrics": {"m": "count"}},
            "Metric 'm' must be one function and its field",
            "count_distinct",
        ),
        (
            "applications",
            {"group_by": ["status"], "metrics": {"status": {"count": "*"}}},
            "Metric name(s) 'status' are also answer keys",
            None,
        ),
        (
            "applications",
            {"group_by": ["job.departmentId"], "metrics": {"job.departmentId.name": {"count": "*"}}},
            "also answer keys",
            None,
        ),
        (
            "applications",
            {"group_by": ["status"], "having": {"gt": {"total": 1}}},
            "having names 'total', which is not a metric or group key.",
            "count",
        ),
        (
            "applications",
            {"having": {"gt": {"count": "many"}}},
            "gt on count (number) needs a number, got str 'many'.",
            None,
        ),
        ("applications", {"having": {"like": {"count": 1}}}, "Unknown having operator 'like'.", "in"),
        (
            "applications",
            {"group_by": ["status"], "sort": [{"created": "asc"}]},
            "Cannot sort by 'created': not a metric or group key.",
            "status",
        ),
        (
            "applications",
            {"sort": [{"count": "up"}]},
            "Sort direction for 'count' must be 'asc' or 'desc'",
            "desc",
        ),
        ("applications", {"limit": 1001}, "limit must be a whole number from 1 to 1000", None),
        ("applications", {"fresh": "yes"}, "fresh must be true or false", None),
        (
            "applications",
            {"filter": {"eq": {"stauts": "Active"}}},
            "Unknown field 'stauts' for applications. Did you mean 'status'?",
            "status",
        ),
    ],
)
def test_bad_params_say_what_is_wrong(
    entity: str, params: dict[str, Any], message: str, valid: str | None
) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        parse_aggregate(entity, params)
    assert message in str(caught.value)
    if valid is not None:
        assert valid in caught.value.valid


# ------------------------------------------------------------------------------------------ the sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(seed=7, scale="small") as handle:  # read only here: one for the module
        yield handle


def monday(instant: str) -> str:
    day = date.fromisoformat(instant[:10])
    return (day - timedelta(days=day.weekday())).isoformat()


async def test_an_aggregate_of_the_sandbox_equals_python_over_its_records(
    store: ContextStore, sandbox: Any
) -> None:
    async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
        report = await store.replicate(transport, TENANT, entities=["applications", "departments"])
    assert report.ok
    records = sandbox.control.records("application")

    groups: dict[tuple[str | None, str | None], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[((record.get("source") or {}).get("title"), record.get("status"))].append(record)
    expected = [
        {
            "source.title": title,
            "status": status,
            "n": len(items),
            "people": len({item["candidate"]["id"] for item in items}),
            "first": min(item["createdAt"] for item in items),
            "archived": sum(item.get("archivedAt") is not None for item in items),
        }
        for (title, status), items in groups.items()
    ]
    expected.sort(
        key=lambda row: (-row["n"], row["source.title"] is None, row["source.title"] or "", row["status"])
    )
    params = {
        "group_by": ["source.title", "status"],
        "metrics": {
            "n": {"count": "*"},
            "people": {"count_distinct": "candidate.id"},
            "first": {"min": "createdAt"},
            "archived": {"count": "archivedAt"},
        },
        "limit": 1000,
    }
    assert data(store, "applications", params) == expected

    names = {department["id"]: department["name"] for department in sandbox.control.records("department")}
    per_department = Counter(record["job"]["departmentId"] for record in records)
    answer = data(store, "applications", {"group_by": ["job.departmentId"], "limit": 1000})
    assert {row["job.departmentId"]: (row["job.departmentId.name"], row["count"]) for row in answer} == {
        key: (names[key], count) for key, count in per_department.items()
    }

    weeks = Counter(monday(record["createdAt"]) for record in records)
    answer = data(
        store, "applications", {"group_by": [{"field": "createdAt", "bucket": "week"}], "limit": 1000}
    )
    assert {row["createdAt.week"]: row["count"] for row in answer} == weeks
