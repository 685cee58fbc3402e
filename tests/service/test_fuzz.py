"""Schemathesis against ``/openapi.json`` on both backends: every check (``--checks all``), a bounded
number of examples, a real tenant's token, and execute pinned to a real connector over the sandbox.

No 5xx, no response outside its schema, no invalid request accepted and no valid one rejected: the
document states the rules the service enforces (see ``ashby_agent.service.api.openapi``).

One kind of rejection is expected: a cursor or sync token the fuzzer made up (or replayed from another
listing). No schema can say which opaque strings a server issued, so such a value is valid by the
document and refused by the service (``invalid_cursor``) or by Ashby (``invalid_next_cursor``,
``sync_token_invalid``...), exactly as a made-up id is a 404. Those findings, and only those, are set
aside, each checked to be such a refusal of such a value.

The same holds for the context store actions: the query language is recursive and typed by each
entity's fields, which the document states only as "an object", and an entity is searchable only once
synced; their ``invalid_query`` / ``entity_not_synced`` refusals of valid-by-schema bodies are set aside
the same way.

Bounds. The coverage phase enumerates ~150 boundary cases per branch of execute's body (one branch per
catalog operation, ~20,000 in all): they check how the handler judges a body against the catalog, whose
rules are per parameter schema, not per operation, and in which no database takes part (the store
actions' queries are run on both backends by tests/store/query and by this file's fuzzing phase). So
they run on SQLite only, on a few branches (chosen greedily) that together hold every distinct parameter
schema and rule kind of the document (:func:`coverage_document`, derived from the document, about a
seventh of the branches; every branch is still fuzzed). There execute skips ``ignored_auth`` (each case
sent again without its token); the PostgreSQL run checks it on execute's examples and fuzzing, as both
do for every other operation.
Every other operation's coverage cases, and the examples, fuzzing and stateful phases (``MAX_EXAMPLES``
per operation), run on both backends; ``EXPLICIT`` adds real reads, store queries included, to the
examples phase, so that every check also judges successful executions on each backend.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events
from sqlalchemy.engine import make_url

from ashby_agent.connectors.ashby.store_actions import store_action
from ashby_agent.service.server import ServiceHandle
from ashby_agent.store.context_store import ContextStore
from ashby_agent.transports.ashby import AshbyTransport
from tests.service.tenants import Tenant

pytestmark = pytest.mark.slow

EXECUTE = "/api/v1/integrations/connectors/{connector_id}/execute"
#: Examples per operation in the fuzzing and stateful phases: enough to reach every branch kind.
MAX_EXAMPLES = 12
#: The backend that runs execute's coverage cases (see the docstring).
EXECUTE_COVERAGE_BACKEND = "sqlite"


#: The refusals of an opaque token the server (or Ashby) did not issue for this listing.
OPAQUE_TOKEN_REFUSALS = frozenset(
    {
        "invalid_cursor",
        "invalid_next_cursor",
        "next_cursor_expired",
        "sync_token_invalid",
        "sync_token_expired",
    }
)
_TOKEN_NAMES = frozenset({"cursor", "syncToken", "sync_token"})


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    message: str


def _refused_made_up_token(case: Any, response: Any, check: str) -> bool:
    """A valid-by-schema request whose cursor/sync token was refused as not issued (see the docstring)."""
    if check != "positive_data_acceptance" or response is None or response.status_code not in (400, 422):
        return False
    params = case.body.get("params") if isinstance(case.body, dict) else None
    given = {**(case.query or {}), **(params if isinstance(params, dict) else {})}
    if not any(given.get(name) is not None for name in _TOKEN_NAMES):
        return False
    try:
        errors = orjson.loads(response.content)["errors"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return False
    return bool(errors) and all(item.get("error_code") in OPAQUE_TOKEN_REFUSALS for item in errors)


#: The refusals of a context store query the document can only describe loosely (see the docstring).
STORE_REFUSALS = frozenset({"invalid_query", "entity_not_synced"})


def _refused_store_query(case: Any, response: Any, check: str) -> bool:
    if check != "positive_data_acceptance" or response is None or response.status_code not in (400, 422):
        return False
    action = case.body.get("action") if isinstance(case.body, dict) else None
    if store_action(action) is None:
        return False
    try:
        errors = orjson.loads(response.content)["errors"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return False
    return bool(errors) and all(item.get("error_code") in STORE_REFUSALS for item in errors)


#: Execute bodies that succeed (over Ashby, or from the synced store), added to the examples phase.
EXPLICIT = (
    {"entity": "candidates", "action": "list", "params": {"limit": 2}},
    {"entity": "departments", "action": "list"},
    {"entity": "api_key", "action": "get"},
    {"entity": "applications", "action": "context_store_search", "params": {"limit": 3}},
    {"entity": "applications", "action": "context_store_aggregate", "params": {"group_by": ["status"]}},
    {
        "entity": "context_store",
        "action": "context_store_sql_query",
        "params": {"sql": "SELECT count(*) AS n FROM applications"},
    },
)


def _add_explicit_examples(schema: Any, connector_id: str) -> None:
    def before_add_examples(context: Any, examples: list[Any]) -> None:
        if context.operation.path == EXECUTE:
            examples.extend(
                context.operation.Case(path_parameters={"connector_id": connector_id}, body=body)
                for body in EXPLICIT
            )

    schema.hook(before_add_examples)


def _config(service: ServiceHandle, token: str, connector_id: str, *, coverage: bool) -> SchemathesisConfig:
    """The whole API without execute's coverage cases, or (``coverage``) those cases alone."""
    execute: dict[str, Any] = {"include-path": EXECUTE, "parameters": {"connector_id": connector_id}}
    settings: dict[str, Any] = {
        "seed": 7,
        "headers": {"Authorization": f"Bearer {token}"},
        "base-url": service.url,
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "operations": [execute],
    }
    if coverage:  # each case would be sent again without its token; the other backend checks that
        execute["checks"] = {"ignored_auth": {"enabled": False}}
        settings["phases"] = {name: {"enabled": False} for name in ("examples", "fuzzing", "stateful")}
    else:
        execute["phases"] = {"coverage": {"enabled": False}}
    config = SchemathesisConfig.from_dict(settings)
    config.projects.override.checks.update(included_check_names=["all"])
    return config


def _without_notes(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_notes(v) for k, v in schema.items() if k not in ("description", "title")}
    if isinstance(schema, list):
        return [_without_notes(v) for v in schema]
    return schema


def _traits(branch: dict[str, Any]) -> set[tuple[str, str]]:
    """What the handler judges in one branch: each params schema, each kind of rule between params,
    whether params may be left out, and how many naming styles the branch takes."""
    params = branch["properties"].get("params", {})
    styles = params.get("anyOf", [params])
    traits = {("styles", str(len(styles)))}
    for style in styles:
        if style.get("type") != "object":
            traits.add(("params", "optional"))
            continue
        for value in style.get("properties", {}).values():
            traits.add(("param", orjson.dumps(_without_notes(value), option=orjson.OPT_SORT_KEYS).decode()))
        traits.update(("rule", next(iter(rule))) for rule in style.get("allOf", []))
    return traits


def coverage_document(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with execute's body cut to a few branches that together show every trait of every
    branch (chosen greedily, each time the one with the most traits not yet shown: small, not always
    the smallest such set)."""
    body = document["components"]["schemas"]["ExecuteRequest"]
    branches = body["oneOf"]
    traits = [_traits(branch) for branch in branches]
    wanted, seen, chosen = set().union(*traits), set[tuple[str, str]](), []
    while seen != wanted:
        best = max(range(len(branches)), key=lambda i: len(traits[i] - seen))
        chosen.append(branches[best])
        seen |= traits[best]
    return {
        **document,
        "components": {
            **document["components"],
            "schemas": {**document["components"]["schemas"], "ExecuteRequest": {**body, "oneOf": chosen}},
        },
    }


def _findings(stream: Any, ran: Counter[str]) -> list[Finding]:
    """The failed checks of a run (``ran`` counts every check run and every execute answered 200)."""
    found: list[Finding] = []
    for event in stream:
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            found.append(Finding(event.label, "error", str(event.value)))
        recorder = getattr(event, "recorder", None)
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished) and recorder is not None:
            for interaction in recorder.interactions.values():
                response = interaction.response
                if response is not None and "/execute" in interaction.request.uri:
                    if response.status_code == 200:
                        ran["execute answered 200"] += 1
                    # Ashby's own refusals (a made-up id's 404...) carry Ashby's code: the call got there.
                    if response.status_code == 200 or b'"ashby"' in response.content:
                        ran["execute reached Ashby or the store"] += 1
                    ran[f"execute {response.status_code}"] += 1
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    ran[check.name] += 1
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        case = recorder.cases[case_id].value
                        failure = check.failure_info.failure
                        interaction = recorder.interactions.get(case_id)
                        response = interaction.response if interaction is not None else None
                        if _refused_made_up_token(case, response, check.name) or _refused_store_query(
                            case, response, check.name
                        ):
                            continue
                        answer = (
                            f"{response.status_code} {response.content[:300]!r}"
                            if response is not None
                            else "-"
                        )
                        found.append(
                            Finding(
                                f"{case.method} {case.path}",
                                check.name,
                                f"{failure.title}: {failure.message}"[:600]
                                + f"\n  path={case.path_parameters} query={case.query}"
                                + f" body={str(case.body)[:300]!r}"
                                + f"\n  answer={answer}",
                            )
                        )
    return found


def _replicate(service: ServiceHandle, connector_id: str, sandbox: Any) -> None:
    """Fill the service's context store for the connector (the test's own sync: no worker needed)."""

    async def run() -> None:
        store = ContextStore.open(service.settings.db_url)
        try:
            async with AshbyTransport(sandbox.api_key, base_url=sandbox.url) as transport:
                report = await store.replicate(transport, connector_id)
            assert report.ok, report
        finally:
            store.close()

    asyncio.run(run())


def test_the_api_conforms_to_its_own_document(tenant: Tenant, shared_sandbox: Any) -> None:
    service = tenant.service
    connector = tenant.create_connector("fuzzed", shared_sandbox.api_key)
    _replicate(service, connector["id"], shared_sandbox)  # so store actions answer too (200 when they parse)
    document = httpx.get(service.url + "/openapi.json").json()
    token = tenant.token()
    schema = schemathesis.openapi.from_dict(
        document, config=_config(service, token, connector["id"], coverage=False)
    )
    _add_explicit_examples(schema, connector["id"])
    ran: Counter[str] = Counter()
    findings = _findings(schemathesis.engine.from_schema(schema).execute(), ran)
    covered = make_url(service.settings.db_url).get_backend_name() == EXECUTE_COVERAGE_BACKEND
    if covered:
        cut = coverage_document(document)
        assert 5 < len(cut["components"]["schemas"]["ExecuteRequest"]["oneOf"]) < 40
        config = _config(service, token, connector["id"], coverage=True)
        cases = schemathesis.openapi.from_dict(cut, config=config).include(path=EXECUTE)
        findings += _findings(schemathesis.engine.from_schema(cases).execute(), ran)
    unique = {(f.operation, f.check, f.message.splitlines()[0]): f for f in findings}
    assert not unique, "\n\n".join(f"{f.operation} [{f.check}] {f.message}" for f in unique.values())
    # The run did what it says: every kind of check, on many requests, and real executions over Ashby.
    assert set(ran) >= {
        "not_a_server_error",
        "negative_data_rejection",
        "positive_data_acceptance",
        "response_schema_conformance",
        "unsupported_method",
        "ignored_auth",
    }, ran
    # A floor, not a quota: most generated executions are refusals by design (made-up ids, cursors and
    # queries); a handful must still reach Ashby (or the store) and succeed.
    assert ran["negative_data_rejection"] > (2_000 if covered else 500), ran
    assert ran["execute answered 200"] >= 5, ran
