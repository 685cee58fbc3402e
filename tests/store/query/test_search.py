"""``context_store_search`` end to end on SQLite and PostgreSQL: ``ContextStore.search`` over stored
candidates, for every operator, text matching, typed instants, nulls, nested paths, aliases, sorting
with cursors, projections, limits, and the errors an agent gets back for a bad call.
"""

from __future__ import annotations

from typing import Any

import pytest

from ashby_agent.errors import EntityNotSyncedError, InvalidQueryError
from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.language import OPERATORS
from ashby_agent.store.query.search import DEFAULT_LIMIT, MAX_LIMIT, SEARCH_PARAMS, parse_search
from tests.store.query import reference
from tests.store.query.conftest import BACKENDS, replace_records

CONNECTOR = "search"
ENTITY = "candidates"


def candidate(record_id: str, name: str, created: str | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": record_id, "name": name, **fields}
    if created is not None:
        record["createdAt"] = record["updatedAt"] = created
    return record


CANDIDATES = [
    candidate(
        "c1",
        "Ada Lovelace",
        "2024-01-10T09:00:00.000Z",
        position="Senior Software Engineer",
        company="Analytical Engines Ltd.",
        primaryEmailAddress={"value": "ada@example.com", "type": "Work", "isPrimary": True},
        tags=[{"id": "t1", "title": "Python"}, {"id": "t2", "title": "Remote"}],
        applicationIds=["app1", "app2"],
        customFields=[
            {"id": "cf1", "title": "Years", "value": 7},
            {"id": "cf2", "title": "Visa", "value": True},
        ],
        source={"id": "s1", "title": "LinkedIn"},
        creditedToUser={"id": "u1", "firstName": "Grace", "updatedAt": "2024-02-01T10:00:00.000Z"},
        location={
            "locationSummary": "London, UK",
            "locationComponents": [{"type": "City", "name": "London"}],
        },
        fraudStatus=None,
    ),
    candidate(
        "c2",
        "Grace Hopper",
        "2024-01-10T23:30:00.000Z",
        position="Engineering Manager",
        company="Navy",
        primaryEmailAddress={"value": "grace_h@example.org"},
        tags=[{"id": "t3", "title": "Leadership"}],
        applicationIds=["app3"],
        customFields=[{"id": "cf1", "title": "Years", "value": "7"}],
        source=None,
        creditedToUser={"id": "u2", "updatedAt": "2024-02-01T08:00:00.000Z"},
    ),
    candidate(
        "c3",
        "Alan Turing",
        "2024-01-11T00:30:00.000Z",
        position="Data Scientist / ML",
        company="Bletchley Park",
        tags=[],
        applicationIds=[],
        customFields=[
            {"id": "cf3", "value": {"value": 120000, "currencyCode": "GBP", "null": "yes", "x-y": 2}}
        ],
        fraudStatus="Unsure",
    ),
    candidate(
        "c4",
        "Katherine Johnson",
        "2024-01-12T12:00:00.000Z",
        position="Mathematician",
        company="100% Pure_Math Inc",
        primaryEmailAddress={"value": "kj@nasa.gov"},
        location={
            "locationSummary": "Hampton, VA",
            "locationComponents": [{"type": "City", "name": "Hampton"}],
        },
    ),
    candidate("c5", "Edsger W. Dijkstra", "2024-01-13T08:00:00.000Z", company=None),
    candidate(
        "c6",
        "Barbara Liskov",
        None,
        position="software engineer",
        company="MIT",
        source={"id": "s2", "title": "Referral"},
        tags=[{"id": "t1", "title": "Python"}],
    ),
]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, stores: dict[str, ContextStore]) -> ContextStore:
    """The backend's store holding exactly :data:`CANDIDATES`, synced."""
    chosen = stores[request.param]
    replace_records(chosen, CONNECTOR, ENTITY, CANDIDATES, synced=True)
    return chosen


async def search(store: ContextStore, **params: Any) -> dict[str, Any]:
    return await store.search(CONNECTOR, ENTITY, params)


def ids(answer: dict[str, Any]) -> list[str]:
    return [record["id"] for record in answer["data"]]


async def found(store: ContextStore, condition: Any) -> list[str]:
    return ids(await search(store, query={"filter": condition}, limit=MAX_LIMIT))


def refused(params: Any) -> InvalidQueryError:
    with pytest.raises(InvalidQueryError) as caught:
        parse_search(ENTITY, params)
    return caught.value


#: condition -> the ids it selects (in id order, the order of a search without sort).
CASES: list[tuple[dict[str, Any], list[str]]] = [
    # comparisons and in
    ({"eq": {"name": "Alan Turing"}}, ["c3"]),
    ({"eq": {"name": "alan turing"}}, []),
    ({"neq": {"name": "Alan Turing"}}, ["c1", "c2", "c4", "c5", "c6"]),
    ({"gt": {"name": "Edsger W. Dijkstra"}}, ["c2", "c4"]),
    ({"gte": {"name": "Edsger W. Dijkstra"}}, ["c2", "c4", "c5"]),
    ({"lt": {"name": "Alan Turing"}}, ["c1"]),
    ({"lte": {"name": "Alan Turing"}}, ["c1", "c3"]),
    ({"in": {"company": ["MIT", "Navy", "Nope"]}}, ["c2", "c6"]),
    ({"in": {"company": ["MIT", None]}}, ["c5", "c6"]),
    ({"in": {"company": []}}, []),
    # like: case-insensitive, % any run, _ and every other character literal
    ({"like": {"name": "ADA%"}}, ["c1"]),
    ({"like": {"name": "%ing%"}}, ["c3"]),
    ({"like": {"company": "100%"}}, ["c4"]),
    ({"like": {"company": "%pure_math%"}}, ["c4"]),
    ({"like": {"company": "%pure math%"}}, []),
    ({"like": {"primaryEmailAddress.value": "grace_h@%"}}, ["c2"]),
    ({"like": {"primaryEmailAddress.value": "ad_@%"}}, []),
    ({"like": {"position": "%/ ml"}}, ["c3"]),
    ({"like": {"createdAt": "2024-01-10%"}}, ["c1", "c2"]),
    # fuzzy: typos, word order, punctuation, partial words; every query word must match
    ({"fuzzy": {"name": "ada lovlace"}}, ["c1"]),
    ({"fuzzy": {"name": "Lovelcae"}}, ["c1"]),
    ({"fuzzy": {"name": "lovelace ada"}}, ["c1"]),
    ({"fuzzy": {"name": "Dijkstra, Edsger!"}}, ["c5"]),
    ({"fuzzy": {"name": "dijk"}}, ["c5"]),
    ({"fuzzy": {"name": "grce"}}, ["c2"]),
    ({"fuzzy": {"name": "adx"}}, []),
    ({"fuzzy": {"name": "ada turing"}}, []),
    ({"fuzzy": {"position": "sofware engineer"}}, ["c1", "c6"]),
    # keyword: any query word, as a whole word
    ({"keyword": {"position": "engineer manager"}}, ["c1", "c2", "c6"]),
    ({"keyword": {"position": "engine"}}, []),
    ({"keyword": {"position": "ML"}}, ["c3"]),
    # instants compare as instants whatever offset the query uses; dates mean midnight UTC
    ({"gte": {"createdAt": "2024-01-11T01:00:00+01:00"}}, ["c3", "c4", "c5"]),
    ({"lt": {"createdAt": "2024-01-10T18:30:00-05:00"}}, ["c1"]),
    ({"eq": {"createdAt": "2024-01-10T18:30:00-05:00"}}, ["c2"]),
    ({"gte": {"createdAt": "2024-01-11"}}, ["c3", "c4", "c5"]),
    ({"gt": {"creditedToUser.updatedAt": "2024-02-01T11:00:00+02:00"}}, ["c1"]),
    # nulls: eq null is missing or null, neq and not negate (so they keep missing values)
    ({"eq": {"fraudStatus": None}}, ["c1", "c2", "c4", "c5", "c6"]),
    ({"neq": {"fraudStatus": None}}, ["c3"]),
    ({"neq": {"fraudStatus": "Unsure"}}, ["c1", "c2", "c4", "c5", "c6"]),
    ({"not": {"eq": {"company": "MIT"}}}, ["c1", "c2", "c3", "c4", "c5"]),
    ({"eq": {"position": None}}, ["c5"]),
    ({"eq": {"createdAt": None}}, ["c6"]),
    ({"eq": {"source.title": None}}, ["c2", "c3", "c4", "c5"]),
    ({"eq": {"tags": None}}, ["c3", "c4", "c5"]),
    ({"neq": {"tags.title": None}}, ["c1", "c2", "c6"]),
    # dot paths into objects and lists; contains and any
    ({"eq": {"location.locationComponents.name": "London"}}, ["c1"]),
    ({"eq": {"tags.title": "Python"}}, ["c1", "c6"]),
    ({"neq": {"tags.title": "Python"}}, ["c2", "c3", "c4", "c5"]),
    ({"contains": {"applicationIds": "app3"}}, ["c2"]),
    ({"contains": {"tags": {"id": "t1", "title": "Python"}}}, ["c1", "c6"]),
    ({"contains": {"tags": {"id": "t1", "title": "Remote"}}}, []),
    ({"any": {"customFields": {"and": [{"eq": {"id": "cf1"}}, {"gte": {"value": 5}}]}}}, ["c1"]),
    ({"eq": {"customFields.value": "7"}}, ["c2"]),
    ({"eq": {"customFields.value": True}}, ["c1"]),
    ({"eq": {"customFields.value.currencyCode": "GBP"}}, ["c3"]),
    ({"gt": {"customFields.value.value": 100000}}, ["c3"]),
    ({"eq": {"customFields.value.null": "yes"}}, ["c3"]),
    ({"eq": {"customFields.value.x-y": 2}}, ["c3"]),
    ({"or": [{"eq": {"source.title": "Referral"}}, {"like": {"name": "k%"}}]}, ["c4", "c6"]),
    ({"and": []}, ["c1", "c2", "c3", "c4", "c5", "c6"]),
    ({"or": []}, []),
    # several operator keys, or several fields under one, are ANDed
    ({"like": {"name": "a%"}, "gte": {"createdAt": "2024-01-10T12:00:00Z"}}, ["c3"]),
    ({"eq": {"tags.title": "Python", "company": "MIT"}}, ["c6"]),
    # snake_case aliases
    ({"eq": {"primary_email_address.value": "ada@example.com"}}, ["c1"]),
    ({"contains": {"application_ids": "app1"}}, ["c1"]),
    ({"eq": {"credited_to_user.first_name": "Grace"}}, ["c1"]),
]


@pytest.mark.parametrize(("condition", "expected"), CASES, ids=[str(case[0]) for case in CASES])
async def test_each_operator(store: ContextStore, condition: dict[str, Any], expected: list[str]) -> None:
    assert await found(store, condition) == expected
    # The reference evaluator, which the property tests hold the compiler to, agrees.
    parsed = parse_search(ENTITY, {"query": {"filter": condition}}).condition
    assert [record["id"] for record in reference.matching(CANDIDATES, parsed)] == expected


async def test_sort_orders_missing_values_last_in_both_directions(store: ContextStore) -> None:
    ascending = await search(store, query={"sort": [{"company": "asc"}]})
    assert ids(ascending) == ["c4", "c1", "c3", "c6", "c2", "c5"]
    descending = await search(store, query={"sort": [{"company": "desc"}]})
    assert ids(descending) == ["c2", "c6", "c3", "c1", "c4", "c5"]
    by_created = await search(store, query={"sort": ["created_at", {"name": "desc"}]})
    assert ids(by_created) == ["c1", "c2", "c3", "c4", "c5", "c6"]


def crowd(count: int, prefix: str = "p") -> list[dict[str, Any]]:
    """Candidates with repeated companies and instants (ties that only the id breaks) and some nulls."""
    companies = ("Acme", "Beta", None, "acme")
    return [
        candidate(
            f"{prefix}{n:03d}",
            f"Person {n}",
            f"2024-02-{1 + n % 3:02d}T10:00:00.000Z" if n % 5 else None,
            company=companies[n % 4],
            position="Engineer",
        )
        for n in range(count)
    ]


async def test_cursor_pages_equal_the_sorted_result_while_records_are_upserted(store: ContextStore) -> None:
    records = crowd(23)
    replace_records(store, CONNECTOR, ENTITY, records, synced=True)
    query = {"filter": {"eq": {"position": "Engineer"}}, "sort": [{"company": "asc"}, {"createdAt": "desc"}]}
    seen: list[str] = []
    added: list[dict[str, Any]] = []
    cursor = None
    for page in range(30):
        answer = await search(store, query=query, limit=4, cursor=cursor, fields=["company"])
        assert len(answer["data"]) <= 4
        seen += ids(answer)
        cursor = answer["meta"]["cursor"]
        if cursor is None:
            assert answer["meta"]["has_more"] is False
            break
        assert answer["meta"]["has_more"] is True
        # Between pages a sync changes every record (not its sort keys) and adds two: one sorting
        # before the cursor (never shown: offsets would shift and repeat a record), one after it
        # (no company nor creation time, and the greatest id so far: the very end).
        changed = [{**record, "updatedAt": f"2024-03-01T00:00:{page:02d}.000Z"} for record in records + added]
        before = candidate(
            f"b{page:02d}", "Early", "2024-02-01T10:00:00.000Z", company="AAA", position="Engineer"
        )
        after = candidate(f"z{page:02d}", "Late", None, position="Engineer")
        added.append(after)
        replace_records(store, CONNECTOR, ENTITY, [*changed, before, after], synced=True)
    assert len(seen) == len(set(seen)), "a record was returned twice"
    search_sort = parse_search(ENTITY, {"query": query}).sort
    expected = reference.sort_records(records + added, [(key.path, key.descending) for key in search_sort])
    assert seen == [record["id"] for record in expected]


async def test_a_cursor_only_continues_its_own_query(store: ContextStore) -> None:
    replace_records(store, CONNECTOR, ENTITY, crowd(5), synced=True)
    first = await search(store, query={"sort": ["name"]}, limit=2)
    cursor = first["meta"]["cursor"]
    assert isinstance(cursor, str)
    with pytest.raises(InvalidQueryError, match="different query or sort"):
        await search(store, query={"sort": [{"name": "desc"}]}, limit=2, cursor=cursor)
    with pytest.raises(InvalidQueryError, match="not one this search returned"):
        await search(store, query={"sort": ["name"]}, limit=2, cursor=cursor[:-3] + "xyz")
    rest = await search(store, query={"sort": ["name"]}, limit=2, cursor=cursor)
    assert ids(rest) == ["p002", "p003"]


@pytest.mark.parametrize(
    "fields",
    [
        ["name", "tags.title", "primary_email_address.value"],
        [["name"], ["tags", "title"], ["primaryEmailAddress", "value"]],
    ],
)
async def test_fields_project_each_record(store: ContextStore, fields: list[Any]) -> None:
    answer = await search(store, query={"filter": {"in": {"id": ["c1", "c5"]}}}, fields=fields)
    assert answer["data"] == [
        {
            "id": "c1",
            "name": "Ada Lovelace",
            "tags": [{"title": "Python"}, {"title": "Remote"}],
            "primaryEmailAddress": {"value": "ada@example.com"},
        },
        {"id": "c5", "name": "Edsger W. Dijkstra"},
    ]


async def test_limit_defaults_to_20_and_stops_at_100(store: ContextStore) -> None:
    replace_records(store, CONNECTOR, ENTITY, crowd(130), synced=True)
    default = await search(store)
    assert len(default["data"]) == DEFAULT_LIMIT == 20
    assert default["meta"]["has_more"] is True
    assert ids(default) == [f"p{n:03d}" for n in range(20)]
    most = await search(store, limit=MAX_LIMIT)
    assert len(most["data"]) == MAX_LIMIT == 100
    assert set(most["meta"]) >= {"has_more", "cursor", "took_ms", "as_of"}
    assert most["meta"]["as_of"].endswith("Z")
    for bad in (0, 101, "10", True, 2.5):
        with pytest.raises(InvalidQueryError, match="limit must be a whole number from 1 to 100") as caught:
            await search(store, limit=bad)
        assert caught.value.where == "limit"


async def test_an_entity_that_never_synced_says_how_to_sync_it(store: ContextStore) -> None:
    with pytest.raises(EntityNotSyncedError, match="ashby-agent sync --entities jobs"):
        await store.search(CONNECTOR, "jobs", {})
    with pytest.raises(InvalidQueryError, match="'job' is not kept in the context store") as caught:
        await store.search(CONNECTOR, "job", {})
    assert "jobs" in caught.value.valid


async def test_postgresql_keeps_search_plans_and_plans_each_aggregate_for_its_values(
    stores: dict[str, ContextStore],
) -> None:
    """A search's statement is prepared on first use; an aggregate's never is, so PostgreSQL never
    answers one with a generic plan (the plan of a filter that keeps most rows differs from one that
    keeps few)."""
    store = stores["postgresql"]
    replace_records(store, CONNECTOR, ENTITY, CANDIDATES, synced=True)
    store.read(lambda c: c.exec_driver_sql("DEALLOCATE ALL"), snapshot=False)
    for _ in range(7):
        assert (await search(store, query={"filter": {"eq": {"name": "Ada Lovelace"}}}))["data"]
        answer = await store.aggregate(CONNECTOR, ENTITY, {"filter": {"eq": {"name": "Ada Lovelace"}}})
        assert answer["data"][0]["count"] == 1
    prepared = store.read(
        lambda c: c.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all(),
        snapshot=False,
    )
    assert any("ORDER BY" in statement for statement in prepared), prepared
    assert not [statement for statement in prepared if "GROUP BY" in statement or "count(" in statement]


#: A bad call -> (words the message must contain, some of the valid choices it must list, where).
ERRORS: list[tuple[Any, tuple[str, ...], tuple[str, ...], str]] = [
    (
        {"query": {"filter": {"equals": {"name": "x"}}}},
        ("'equals'", "Valid operators"),
        OPERATORS,
        "query.filter",
    ),
    (
        {"query": {"filter": {"lik": {"name": "x"}}}},
        ("'lik'", "Did you mean 'like'?"),
        ("like",),
        "query.filter",
    ),
    (
        {"query": {"filter": {"eq": {"nmae": "x"}}}},
        ("'nmae'", "Did you mean 'name'?"),
        ("name", "company"),
        "query.filter",
    ),
    (
        {"query": {"filter": {"eq": {"source.titel": "x"}}}},
        ("'source.titel'", "fields of 'source'"),
        ("title",),
        "query.filter",
    ),
    ({"query": {"filter": {"eq": {"tags.0": "x"}}}}, ("'tags.0'",), ("title",), "query.filter"),
    ({"query": {"filter": {"eq": {"customFields.value.0": 1}}}}, ("not a bare number",), (), "query.filter"),
    (
        {"query": {"filter": {"gt": {"createdAt": "yesterday"}}}},
        ("createdAt", "'yesterday'", "ISO date"),
        (),
        "query.filter",
    ),
    ({"query": {"filter": {"eq": {"name": 5}}}}, ("candidates.name", "a string", "5"), (), "query.filter"),
    (
        {"query": {"filter": {"gt": {"tags.isArchived": True}}}},
        ("isArchived", "use eq or neq"),
        (),
        "query.filter",
    ),
    ({"query": {"filter": {"gt": {"name": None}}}}, ("cannot compare with null",), (), "query.filter"),
    (
        {"query": {"filter": {"like": {"primaryEmailAddress.isPrimary": "t%"}}}},
        ("'like'", "boolean"),
        (),
        "query.filter",
    ),
    ({"query": {"filter": {"fuzzy": {"name": "?!"}}}}, ("'fuzzy'", "'?!'", "use 'like'"), (), "query.filter"),
    ({"query": {"filter": {"keyword": {"name": ""}}}}, ("'keyword'", "non-empty string"), (), "query.filter"),
    ({"query": {"filter": {"eq": {"customFields.value": 10**30}}}}, ("within 64 bits",), (), "query.filter"),
    ({"query": {"filter": {"eq": {"name": "a\x00"}}}}, ("NUL",), (), "query.filter"),
    ({"query": {"filter": {"eq": {"name": "\ud800"}}}}, ("not valid Unicode",), (), "query.filter"),
    ({"query": {"filter": {"gte": {"customFields.value": float("nan")}}}}, ("finite",), (), "query.filter"),
    (
        {"query": {"filter": {"fuzzy": {"name": "a" * 256}}}},
        ("at most 255 characters", "'like'"),
        (),
        "query.filter",
    ),
    (
        {"query": {"filter": {"gt": {"createdAt": "0001-01-01T00:00:00+14:00"}}}},
        ("createdAt", "ISO date"),
        (),
        "query.filter",
    ),
    (
        {"query": {"filter": {"any": {"applicationIds": {"eq": {"id": "x"}}}}}},
        ("'any'", "contains"),
        (),
        "query.filter",
    ),
    ({"query": {"filter": {"contains": {"name": "x"}}}}, ("'contains'", "not a list"), (), "query.filter"),
    (
        {"query": {"filter": {"contains": {"tags": "x"}}}},
        ("'contains'", "fields: id, title"),
        (),
        "query.filter",
    ),
    ({"query": {"filter": {"in": {"name": "x"}}}}, ("'in' takes a list",), (), "query.filter"),
    ({"query": {"filter": {"and": {"eq": {"name": "x"}}}}}, ("'and' takes a list",), (), "query.filter"),
    ({"query": {"filter": {"eq": {"source": "x"}}}}, ("is an object", "source.id"), (), "query.filter"),
    ({"query": {"filter": ["eq"]}}, ("A condition is an object",), OPERATORS, "query.filter"),
    ({"query": {"sort": [{"name": "up"}]}}, ("'up'", "'asc' or 'desc'"), ("asc", "desc"), "query.sort"),
    ({"query": {"sort": ["tags.title"]}}, ("Cannot sort", "a list"), (), "query.sort"),
    ({"query": {"sort": ["nam"]}}, ("'nam'",), ("name",), "query.sort"),
    ({"query": {"filters": {}}}, ("'filters'", "filter, sort"), ("filter", "sort"), "query"),
    ({"limt": 5}, ("'limt'",), SEARCH_PARAMS, "params"),
    ({"fields": ["name", "emial"]}, ("'emial'",), ("name",), "fields"),
    ({"fields": "name"}, ("fields is a non-empty list",), (), "fields"),
    ({"cursor": 5}, ("cursor must be the string",), (), "cursor"),
    ({"fresh": "yes"}, ("fresh must be true or false",), (), "fresh"),
]


@pytest.mark.parametrize(("params", "words", "valid", "where"), ERRORS, ids=[repr(e[0])[:80] for e in ERRORS])
def test_every_error_names_the_problem_and_the_valid_choices(
    params: Any, words: tuple[str, ...], valid: tuple[str, ...], where: str
) -> None:
    error = refused(params)
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, (word, message)
    assert set(valid) <= set(error.valid), (valid, error.valid)
    assert error.where == where


def test_a_date_field_takes_a_date_or_the_date_of_a_date_time() -> None:
    def value(raw: str) -> object:
        condition = parse_search(
            "applications", {"query": {"filter": {"gt": {"openings.latestVersion.targetHireDate": raw}}}}
        )
        return getattr(condition.condition, "value", None)

    assert value("2024-05-01") == "2024-05-01"
    assert value("2024-05-01T23:30:00-05:00") == "2024-05-01"
    for raw in ("2024-05-01garbage", "2024-13-01", "soon"):
        with pytest.raises(InvalidQueryError, match="needs an ISO date such as '2024-05-01'"):
            value(raw)
