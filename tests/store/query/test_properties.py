"""The query compiler agrees with the reference evaluator, on SQLite and on PostgreSQL.

Hypothesis draws application records that fit the record model (text from a small alphabet with
both cases and punctuation, Ashby's millisecond instants, lists of objects, nulls and missing keys)
and conditions over them (every operator, nested ``and``/``or``/``not``, ``any``/``contains``, snake_case
aliases, instants written with offsets); both stores must return the records the reference selects,
in its order, and walking the cursor must give the same sequence page by page.

Generated text is ASCII plus a few letters both backends fold alike (é/É, Ω) and an emoji. Case
folding of other letters is not promised to agree: SQLite folds with Python's ``str.lower``,
PostgreSQL with its locale (``İ`` becomes ``i̇`` in one, ``i`` in the other).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from typing import Any

from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from ashby_agent.store.context_store import ContextStore
from ashby_agent.store.query.search import compile_search, parse_search, run_search
from tests.store.query import reference
from tests.store.query.conftest import replace_records

ENTITY = "applications"
CONNECTOR = "props"
PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
Strategy = st.SearchStrategy[Any]

# ------------------------------------------------------------------ values

#: Words of the generated text: pairs one typo apart, a word that prefixes another, punctuation inside.
WORDS = (
    "alpha",
    "Alpha",
    "alpa",
    "beta",
    "BETA",
    "engineer",
    "enginer",
    "eng",
    "x",
    "a_b",
    "50%",
    "O'Neil",
    "Lead",
    "Écolé",
)
SEPARATORS = (" ", "-", ".", ", ", "_", "/", "\\", "\n")
ALPHABET = "abAB019 -_%.'\\éÉΩ😀"
#: Whole values that records and queries share, so that equality often finds some.
POOL = ("Active", "active", "alpha", "Alpha beta", "O'Neil", "a_b", "50%", "eng-lead", "x", "BETA.gamma", "")
PHRASES: Strategy = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda words: st.sampled_from(SEPARATORS).map(lambda separator: separator.join(words))
)
TEXT: Strategy = st.sampled_from(POOL) | PHRASES | PHRASES | st.text(ALPHABET, max_size=4)
IDS: Strategy = st.sampled_from(("u1", "u2", "U3", "x-9"))
NUMBERS: Strategy = st.integers(-2, 5) | st.sampled_from((0.5, 2.5, -1.5))
_BASE = datetime(2024, 3, 1, tzinfo=UTC)
#: A few instants, so that equal comparisons find some; one per UTC day boundary case.
INSTANTS = tuple(
    _BASE + timedelta(days=day, hours=hour, milliseconds=ms)
    for day, hour, ms in ((0, 0, 0), (0, 9, 120), (0, 23, 999), (1, 0, 0), (1, 1, 5), (2, 12, 0))
)
DATES = tuple(date(2024, 3, day) for day in (1, 2, 3))


def ashby_instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


INSTANT: Strategy = st.sampled_from(INSTANTS).map(ashby_instant)
DATE: Strategy = st.sampled_from(DATES).map(date.isoformat)


@st.composite
def instant_queries(draw: st.DrawFn) -> str:
    """An instant as an agent may write it: Ashby's form, another offset, no milliseconds, a date."""
    moment = draw(st.sampled_from(INSTANTS)) + draw(
        st.sampled_from((timedelta(0), timedelta(milliseconds=1)))
    )
    form = draw(st.sampled_from(("ashby", "offset", "seconds", "date")))
    if form == "ashby":
        return ashby_instant(moment)
    if form == "offset":
        zone = draw(st.sampled_from((2, -5, 14)))
        local = moment.astimezone(timezone(timedelta(hours=zone)))
        return local.isoformat(timespec="milliseconds")
    if form == "seconds":
        return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.date().isoformat()


def nullable(strategy: Strategy) -> Strategy:
    return st.none() | strategy | strategy


def obj(required: dict[str, Strategy], optional: dict[str, Strategy] | None = None) -> Strategy:
    return st.fixed_dictionaries(required, optional=optional or {})


# ------------------------------------------------------------------ records (fit the Application model)

CONTACT = obj(
    {"value": TEXT}, {"type": st.sampled_from(("Personal", "Work")), "isPrimary": nullable(st.booleans())}
)
MEMBER = obj({"userId": IDS}, {"firstName": nullable(TEXT), "email": nullable(TEXT), "role": nullable(TEXT)})
CUSTOM_VALUE = (
    st.none()
    | st.booleans()
    | NUMBERS
    | TEXT
    | INSTANT
    | st.lists(TEXT, max_size=2)
    | obj({"value": NUMBERS, "currencyCode": st.sampled_from(("USD", "EUR"))})
)
CUSTOM = obj(
    {"id": IDS}, {"title": nullable(TEXT), "value": CUSTOM_VALUE, "isPrivate": nullable(st.booleans())}
)
HISTORY = obj(
    {
        "id": IDS,
        "stageId": IDS,
        "title": TEXT,
        "stageNumber": st.integers(0, 4),
        "enteredStageAt": INSTANT,
        "allowedActions": st.lists(st.sampled_from(("none", "delete", "set_entered_at")), max_size=2),
    },
    {"leftStageAt": nullable(INSTANT)},
)
VERSION = obj(
    {"id": IDS},
    {
        "jobIds": st.lists(IDS, max_size=2),
        "targetHireDate": nullable(DATE),
        "isBackfill": st.booleans(),
        "hiringTeam": st.lists(MEMBER, max_size=2),
    },
)
OPENING = obj({"id": IDS}, {"latestVersion": nullable(VERSION)})
SUBMISSION = st.dictionaries(
    st.sampled_from(("status", "score", "null", "x-y")), nullable(TEXT | NUMBERS | st.booleans())
)
APPLICATION = obj(
    {
        "createdAt": INSTANT,
        "candidate": obj({"id": IDS}, {"name": nullable(TEXT), "primaryEmailAddress": nullable(CONTACT)}),
        "currentInterviewStage": obj(
            {"id": IDS}, {"title": nullable(TEXT), "orderInInterviewPlan": nullable(st.integers(0, 3))}
        ),
        "job": obj({"id": IDS}, {"title": nullable(TEXT), "departmentId": nullable(IDS)}),
        "hiringTeam": st.lists(MEMBER, max_size=3),
        "customFields": st.lists(CUSTOM, max_size=3),
    },
    {
        "status": nullable(st.sampled_from(("Active", "Archived", "Hired", "active")) | TEXT),
        "updatedAt": INSTANT,
        "source": nullable(
            obj({"id": IDS}, {"title": nullable(TEXT), "isArchived": nullable(st.booleans())})
        ),
        "archivedAt": nullable(INSTANT),
        "applicationHistory": st.lists(HISTORY, max_size=3),
        "openings": st.lists(OPENING, max_size=2),
        "applicationFormSubmissions": st.lists(SUBMISSION, max_size=2),
    },
)


@st.composite
def applications(draw: st.DrawFn, max_size: int = 10) -> list[dict[str, Any]]:
    ids = draw(
        st.lists(st.text("abAB01-_", min_size=1, max_size=3), unique=True, min_size=3, max_size=max_size)
    )
    return [{"id": record_id, **draw(APPLICATION)} for record_id in ids]


# ------------------------------------------------------------------ conditions

#: Per scope (the record, or one element of a list): paths by kind, lists of objects (with the
#: element's scope) and lists of scalars. Some paths are spelled in snake_case.
SCOPES: dict[str, dict[str, Any]] = {
    "application": {
        "string": (
            "id",
            "status",
            "candidate.name",
            "candidate.id",
            "candidate.primary_email_address.value",
            "job.title",
            "current_interview_stage.title",
            "source.title",
            "hiringTeam.role",
            "hiring_team.email",
            "openings.latestVersion.hiringTeam.role",
            "applicationHistory.title",
        ),
        "timestamp": (
            "createdAt",
            "updated_at",
            "archivedAt",
            "applicationHistory.enteredStageAt",
            "application_history.left_stage_at",
        ),
        "date": ("openings.latestVersion.targetHireDate",),
        "number": ("currentInterviewStage.orderInInterviewPlan", "applicationHistory.stageNumber"),
        "boolean": (
            "source.isArchived",
            "customFields.isPrivate",
            "openings.latest_version.is_backfill",
            "candidate.primaryEmailAddress.isPrimary",
        ),
        "any": (
            "customFields.value",
            "customFields.value.value",
            "custom_fields.value.currencyCode",
            "applicationFormSubmissions.status",
            "applicationFormSubmissions.score",
            "applicationFormSubmissions.null",
        ),
        "objects": {
            "hiringTeam": "member",
            "customFields": "custom",
            "application_history": "history",
            "openings": "opening",
            "applicationFormSubmissions": "submission",
            "openings.latestVersion.hiringTeam": "member",
        },
        "scalars": {"applicationHistory.allowedActions": "string", "openings.latestVersion.jobIds": "string"},
    },
    "member": {"string": ("userId", "firstName", "email", "role")},
    "custom": {"string": ("id", "title"), "any": ("value", "value.currencyCode"), "boolean": ("isPrivate",)},
    "history": {
        "string": ("title",),
        "number": ("stageNumber",),
        "timestamp": ("enteredStageAt", "leftStageAt"),
        "scalars": {"allowed_actions": "string"},
    },
    "opening": {
        "date": ("latestVersion.targetHireDate",),
        "boolean": ("latestVersion.isBackfill",),
        "scalars": {"latestVersion.jobIds": "string"},
        "objects": {"latest_version.hiring_team": "member"},
    },
    "submission": {"any": ("status", "score", "null", "x-y")},
}
ORDERED = ("string", "timestamp", "date", "number", "any")


@st.composite
def like_patterns(draw: st.DrawFn, bases: Strategy | None = None) -> str:
    """A pattern cut from a value the records hold (so it often matches): a prefix, suffix or middle
    with ``%``, a character swapped for ``_`` (literal: it matches only an underscore), other case."""
    base = draw(
        bases if bases is not None else st.sampled_from(tuple(v for v in POOL if v)) | INSTANT | DATE | TEXT
    )
    start = draw(st.integers(0, len(base)))
    end = draw(st.integers(start, len(base)))
    form = draw(st.sampled_from(("exact", "prefix", "suffix", "middle", "underscore", "upper", "percents")))
    pattern = {
        "exact": base,
        "prefix": base[:end] + "%",
        "suffix": "%" + base[start:],
        "middle": "%" + base[start:end] + "%",
        "underscore": base[:start] + "_" + base[start + 1 :],
        "upper": base.upper(),
        "percents": "%".join(base[start:end]),
    }[form]
    assume(pattern.strip())
    return pattern


@st.composite
def word_queries(draw: st.DrawFn, vocabulary: tuple[str, ...] = (*WORDS, "gamma", "neil", "active")) -> str:
    """One or two words of the records' text, perhaps with a typo, cut short or in other case."""
    chosen = draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=2))
    out = []
    for word in chosen:
        at = draw(st.integers(0, len(word) - 1))
        edit = draw(st.sampled_from(("none", "none", "delete", "replace", "insert", "swap", "cut", "upper")))
        out.append(
            {
                "none": word,
                "delete": word[:at] + word[at + 1 :],
                "replace": word[:at] + "q" + word[at + 1 :],
                "insert": word[:at] + "z" + word[at:],
                "swap": word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],
                "cut": word[: at + 1],
                "upper": word.upper(),
            }[edit]
        )
    query = draw(st.sampled_from((" ", ", ", "-"))).join(out)
    assume(any(char.isalnum() for char in query))
    return query


def values(kind: str) -> Strategy:
    return {
        "string": st.sampled_from(POOL) | TEXT | IDS | st.sampled_from(("none", "delete")),
        "timestamp": instant_queries(),
        "date": DATE | instant_queries(),
        "number": NUMBERS,
        "boolean": st.booleans(),
        "any": TEXT | NUMBERS | st.booleans() | INSTANT,
    }[kind]


def _paths(scope: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(path, kind) for kind in kinds for path in SCOPES[scope].get(kind, ())]


def _prose(scope: str) -> list[tuple[str, str]]:
    """The text paths that hold words (not ids): where ``fuzzy`` and ``keyword`` can find some."""
    return [
        (path, kind) for path, kind in _paths(scope, ("string", "any")) if not path.lower().endswith("id")
    ]


def _one(op: str, paths: list[tuple[str, str]], make: Callable[[str], Strategy]) -> Strategy:
    if not paths:
        return st.nothing()
    return st.sampled_from(paths).flatmap(lambda pk: make(pk[1]).map(lambda v: {op: {pk[0]: v}}))


@cache
def leaves(scope: str) -> Strategy:
    every = ("string", "timestamp", "date", "number", "boolean", "any")
    options = [
        *(_one(op, _paths(scope, every), values) for op in ("eq", "neq")),
        *(_one(op, _paths(scope, ORDERED), values) for op in ("gt", "gte", "lt", "lte")),
        _one("eq", _paths(scope, every), lambda kind: st.none()),
        _one("neq", _paths(scope, every), lambda kind: st.none()),
        _one("in", _paths(scope, every), lambda kind: st.lists(nullable(values(kind)), max_size=3)),
        _one("like", _paths(scope, ("string", "timestamp", "date", "any")), lambda kind: like_patterns()),
        *(_one(op, _prose(scope), lambda kind: word_queries()) for op in ("fuzzy", "keyword")),
    ]
    scalars = list(SCOPES[scope].get("scalars", {}).items())
    if scalars:
        options.append(_one("contains", scalars, lambda kind: nullable(values(kind))))
    objects = list(SCOPES[scope].get("objects", {}).items())
    if objects:
        options.append(
            st.sampled_from(objects).flatmap(
                lambda item: st.lists(
                    st.sampled_from(_paths(item[1], ("string", "number", "boolean", "any"))).flatmap(
                        lambda pk: values(pk[1]).map(lambda v: (pk[0], v))
                    ),
                    min_size=1,
                    max_size=2,
                ).map(lambda fields: {"contains": {item[0]: dict(fields)}})
            )
        )
    return st.one_of([option for option in options if not option.is_empty])


def _merge(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Two leaves in one object: their operator keys side by side (fields merged under a shared one)."""
    ((op, fields),) = first.items()
    merged = dict(second)
    merged[op] = {**merged[op], **fields} if op in merged else fields
    return merged


@cache
def conditions(scope: str, depth: int) -> Strategy:
    leaf = leaves(scope)
    if depth == 0:
        return leaf
    inner = conditions(scope, depth - 1)
    options = [
        leaf,
        st.tuples(leaf, leaf).map(lambda pair: _merge(*pair)),
        inner.map(lambda c: {"not": c}),
        st.lists(inner, max_size=3).map(lambda cs: {"and": cs}),
        st.lists(inner, max_size=3).map(lambda cs: {"or": cs}),
    ]
    objects = list(SCOPES[scope].get("objects", {}).items())
    if objects:
        options.append(
            st.sampled_from(objects).flatmap(
                lambda item: conditions(item[1], depth - 1).map(lambda c: {"any": {item[0]: c}})
            )
        )
    return st.one_of(options)


SORTABLE = (
    "id",
    "status",
    "createdAt",
    "updated_at",
    "archivedAt",
    "candidate.name",
    "job.title",
    "source.title",
    "currentInterviewStage.orderInInterviewPlan",
    "source.isArchived",
)
SORTS: Strategy = st.lists(
    st.sampled_from(SORTABLE).flatmap(lambda name: st.sampled_from((name, {name: "asc"}, {name: "desc"}))),
    max_size=2,
)


# ------------------------------------------------------------------ running both stores


def walk(store: ContextStore, params: dict[str, Any]) -> list[list[str]]:
    """The ids of every page of a search, following ``meta.cursor`` to the end."""
    pages: list[list[str]] = []
    cursor = None
    while True:
        search = parse_search(ENTITY, {**params, "cursor": cursor})
        answer = store.read(lambda c, s=search: run_search(c, CONNECTOR, s))  # type: ignore[misc]
        pages.append([record["id"] for record in answer["data"]])
        cursor = answer["meta"]["cursor"]
        assert answer["meta"]["has_more"] is (cursor is not None)
        if cursor is None:
            return pages
        assert len(pages) <= 20, "the cursor does not advance"


def expected(records: list[dict[str, Any]], params: dict[str, Any]) -> list[str]:
    search = parse_search(ENTITY, params)
    selected = reference.matching(records, search.condition)
    ordered = reference.sort_records(selected, [(key.path, key.descending) for key in search.sort])
    return [record["id"] for record in ordered]


def check(stores: dict[str, ContextStore], records: list[dict[str, Any]], params: dict[str, Any]) -> None:
    want = expected(records, params)
    note(f"expected ids: {want}")
    for kind, store in stores.items():
        replace_records(store, CONNECTOR, ENTITY, records)
        pages = walk(store, params)
        got = [record_id for page in pages for record_id in page]
        if got != want:
            sql, bound = compile_search(parse_search(ENTITY, params), kind, CONNECTOR)
            note(f"{kind} SQL: {sql}\nparams: {bound}")
        assert got == want, kind
        limit = params.get("limit", 20)
        assert all(0 < len(page) <= limit for page in pages[:-1]), pages
        assert len(pages[-1]) <= limit


@PROPERTIES
@given(records=applications(), condition=conditions("application", 3))
def test_every_condition_selects_what_the_reference_selects(
    stores: dict[str, ContextStore], records: list[dict[str, Any]], condition: dict[str, Any]
) -> None:
    check(stores, records, {"query": {"filter": condition}, "limit": 100})


@PROPERTIES
@given(
    records=applications(),
    condition=st.none() | conditions("application", 1),
    sort=SORTS,
    limit=st.integers(1, 3),
)
def test_sorted_pages_walk_the_reference_order(
    stores: dict[str, ContextStore],
    records: list[dict[str, Any]],
    condition: dict[str, Any] | None,
    sort: list[Any],
    limit: int,
) -> None:
    check(stores, records, {"query": {"filter": condition, "sort": sort}, "limit": limit})


#: Text paths of both kinds: word-indexed (their own lookup) and scanned, one through a list.
TEXT_PATHS = ("candidate.name", "job.title", "currentInterviewStage.title", "hiringTeam.role")


@st.composite
def text_searches(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Records whose text fields hold phrases, and a text condition cut from one of them."""
    texts = draw(st.lists(PHRASES | TEXT, min_size=3, max_size=10))
    records = [
        {
            "id": f"r{index}",
            "createdAt": ashby_instant(INSTANTS[0]),
            "candidate": {"id": "u1", "name": text},
            "job": {"id": "u1", "title": texts[(index + 1) % len(texts)]},
            "currentInterviewStage": {"id": "u1", "title": text.upper()},
            "hiringTeam": [{"userId": "u1", "role": texts[(index + 2) % len(texts)]}],
            "customFields": [],
        }
        for index, text in enumerate(texts)
    ]
    op = draw(st.sampled_from(("like", "fuzzy", "keyword")))
    if op == "like":
        value = draw(like_patterns(st.sampled_from(texts)))
    else:
        vocabulary = tuple(word for text in texts for word in reference.words(text)) or WORDS
        value = draw(word_queries(vocabulary))
    return records, {op: {draw(st.sampled_from(TEXT_PATHS)): value}}


@PROPERTIES
@given(search=text_searches())
def test_text_operators_select_what_the_reference_selects(
    stores: dict[str, ContextStore], search: tuple[list[dict[str, Any]], dict[str, Any]]
) -> None:
    records, condition = search
    check(stores, records, {"query": {"filter": condition}, "limit": 100})


def test_the_reference_is_not_trivial() -> None:
    """A few hand-checked verdicts of the reference itself, so a wrong reference cannot hide a bug."""
    record = {
        "id": "a",
        "status": "Active",
        "hiringTeam": [{"userId": "u1", "role": "Recruiter"}, {"userId": "u2"}],
        "customFields": [{"id": "c", "value": 5}],
        "candidate": {"id": "x", "name": "Ada O'Neil-Smith"},
    }
    cases: list[tuple[dict[str, Any], bool]] = [
        ({"eq": {"status": "Active"}}, True),
        ({"eq": {"status": "active"}}, False),
        ({"like": {"status": "act%"}}, True),
        ({"like": {"status": "act_ve"}}, False),
        ({"eq": {"hiringTeam.role": None}}, False),
        ({"eq": {"archivedAt": None}}, True),
        ({"neq": {"archivedAt": "2024-01-01"}}, True),
        ({"eq": {"customFields.value": "5"}}, False),
        ({"gte": {"customFields.value": 5}}, True),
        ({"eq": {"customFields.value": True}}, False),
        ({"fuzzy": {"candidate.name": "smth ada"}}, True),
        ({"fuzzy": {"candidate.name": "smx"}}, False),
        ({"keyword": {"candidate.name": "neil bob"}}, True),
        ({"keyword": {"candidate.name": "nei"}}, False),
        ({"any": {"hiringTeam": {"eq": {"userId": "u2", "role": "Recruiter"}}}}, False),
        ({"contains": {"hiringTeam": {"userId": "u1", "role": "Recruiter"}}}, True),
        ({"not": {"in": {"status": ["Hired", None]}}}, True),
    ]
    for condition, verdict in cases:
        parsed = parse_search(ENTITY, {"query": {"filter": condition}}).condition
        assert reference.evaluate(parsed, record) is verdict, condition
