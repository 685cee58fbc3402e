"""Recruiting questions answered through the agent tool from the local context store, in one or two calls.

Each test asks what an agent would (top sources, departments compared, repeat applicants, the pipeline
of the latest posting, this month's busiest departments, last month's applicants) through
``ashby_execute`` wrapped by ``tool_utils``, and checks the answer against the sandbox's own records.
The sandbox's clock stands mid-month (its default stands on the 1st, whose "this month" would hold one
application), and "this month" / "last month" are read from that clock, not the wall clock.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai import Agent
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.connectors.ashby.catalog import CATALOG
from ashby_agent.connectors.ashby.store_actions import STORE_ACTIONS
from ashby_agent.sandbox import SandboxConfig, run_sandbox
from ashby_agent.tools import build_description, tool_utils

Tool = Callable[..., Any]

#: Mid-month, so that "this month" and "last month" both hold applications.
NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
DESCRIPTION_BUDGET_BYTES = 4096


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    with run_sandbox(
        seed=7, scale="small", config=SandboxConfig(now_ms=int(NOW.timestamp() * 1000))
    ) as handle:
        yield handle


@pytest.fixture(scope="module")
def store_url(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store file replicated once for the module (the tests only read it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"

    async def replicate() -> None:
        auth = AshbyAuthConfig(api_key=sandbox.api_key)
        async with AshbyConnector(auth, base_url=sandbox.url, context_store=url) as connector:
            report = await connector.replicate()
            assert report.ok, [stream for stream in report.streams if stream.status != "ready"]

    asyncio.run(replicate())
    return url


@pytest.fixture
async def connector(sandbox: Any, store_url: str) -> AsyncIterator[AshbyConnector]:
    auth = AshbyAuthConfig(api_key=sandbox.api_key)
    async with AshbyConnector(auth, base_url=sandbox.url, context_store=store_url) as opened:
        yield opened


def tool_for(connector: AshbyConnector, **options: Any) -> Tool:
    @tool_utils(context_store=True, **options)
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return await connector.execute(entity, action, params or {})

    return ashby_execute


@pytest.fixture
def ashby_execute(connector: AshbyConnector) -> Tool:
    return tool_for(connector)


def answered(output: Any) -> list[dict[str, Any]]:
    """The rows of a successful, complete tool answer."""
    assert "error" not in output, output
    assert "truncated" not in output, output["truncated"]
    assert output["meta"]["has_more"] is False, output["meta"]
    rows: list[dict[str, Any]] = output["data"]
    return rows


def month_start(moment: datetime, months_back: int = 0) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months_back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def created_between(record: dict[str, Any], start: datetime, end: datetime) -> bool:
    created: str = record["createdAt"]
    return iso(start) <= created < iso(end)


def by_count(counts: Counter[str | None]) -> list[tuple[str | None, int]]:
    """The aggregate's order: count descending, then the key ascending with null last."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


# ---------------------------------------------------------------------------------------------- questions


async def test_what_are_the_top_sources_for_applications(ashby_execute: Tool, sandbox: Any) -> None:
    output = await ashby_execute(
        "applications", "context_store_aggregate", {"group_by": ["source.title"], "limit": 5}
    )

    expected = by_count(
        Counter((a.get("source") or {}).get("title") for a in sandbox.control.records("application"))
    )
    assert "error" not in output, output
    # Nulls are left out of tool output: the group of applications without a source has no key.
    assert [(row.get("source.title"), row["count"]) for row in output["data"]] == expected[:5]
    assert output["meta"]["has_more"] is (len(expected) > 5)


async def test_compare_applications_across_departments(ashby_execute: Tool, sandbox: Any) -> None:
    output = await ashby_execute(
        "applications",
        "context_store_aggregate",
        {
            "group_by": ["job.departmentId"],
            "metrics": {"applications": {"count": "*"}, "candidates": {"count_distinct": "candidate.id"}},
        },
    )

    applications = sandbox.control.records("application")
    names = {d["id"]: d["name"] for d in sandbox.control.records("department")}
    per_department = Counter(a["job"]["departmentId"] for a in applications)
    people = {
        department: len(
            {a["candidate"]["id"] for a in applications if a["job"]["departmentId"] == department}
        )
        for department in per_department
    }
    rows = answered(output)
    assert [(row["job.departmentId"], row["applications"]) for row in rows] == by_count(per_department)
    for row in rows:
        assert row["job.departmentId.name"] == names[row["job.departmentId"]]
        assert row["candidates"] == people[row["job.departmentId"]]


async def test_which_candidates_applied_more_than_once(ashby_execute: Tool, sandbox: Any) -> None:
    sql = (
        "SELECT candidate->>'id' AS id, candidate->>'name' AS name, count(*) AS applications "
        "FROM applications GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY applications DESC, id"
    )
    output = await ashby_execute("context_store", "context_store_sql_query", {"sql": sql, "limit": 1000})

    applications = Counter(a["candidate"]["id"] for a in sandbox.control.records("application"))
    names = {c["id"]: c["name"] for c in sandbox.control.records("candidate")}
    repeat = {candidate: count for candidate, count in applications.items() if count > 1}
    rows = answered(output)
    assert repeat and len(rows) == len(repeat)
    assert {row["id"]: row["applications"] for row in rows} == repeat
    assert all(row["name"] == names[row["id"]] for row in rows)
    assert [row["applications"] for row in rows] == sorted(repeat.values(), reverse=True)


async def test_summarize_the_pipeline_of_our_latest_job_posting(
    ashby_execute: Tool, connector: AshbyConnector, sandbox: Any
) -> None:
    latest = await ashby_execute(
        "job_postings",
        "context_store_search",
        {
            "query": {"sort": [{"publishedDate": "desc"}]},
            "limit": 1,
            "fields": ["id", "jobId", "title", "publishedDate"],
        },
    )
    (posting,) = latest["data"]
    pipeline = await ashby_execute(
        "applications",
        "context_store_aggregate",
        {"filter": {"eq": {"job.id": posting["jobId"]}}, "group_by": ["currentInterviewStage.title"]},
    )

    live = (await connector.job_postings.list()).data  # what Ashby itself lists
    dated = [p for p in live if p.published_date is not None]  # undated ones sort last
    newest = min(dated, key=lambda p: (-p.published_date.toordinal(), p.id))  # type: ignore[union-attr]
    assert (posting["id"], posting["jobId"]) == (newest.id, newest.job_id)
    stages = Counter(
        a["currentInterviewStage"]["title"]
        for a in sandbox.control.records("application")
        if a["job"]["id"] == newest.job_id
    )
    assert stages, "the latest posting's job has applications"
    rows = answered(pipeline)
    assert [(row["currentInterviewStage.title"], row["count"]) for row in rows] == by_count(stages)


async def test_which_departments_were_most_active_this_month(ashby_execute: Tool, sandbox: Any) -> None:
    now = sandbox.control.now()  # the sandbox's "today", not the wall clock's
    start = month_start(now)
    output = await ashby_execute(
        "applications",
        "context_store_aggregate",
        {"filter": {"gte": {"createdAt": iso(start)}}, "group_by": ["job.departmentId"], "limit": 5},
    )

    names = {d["id"]: d["name"] for d in sandbox.control.records("department")}
    this_month = Counter(
        a["job"]["departmentId"]
        for a in sandbox.control.records("application")
        if created_between(a, start, now)
    )
    assert sum(this_month.values()) > 20, "the month holds enough applications to rank departments"
    assert "error" not in output, output
    rows = output["data"]
    assert [(row["job.departmentId"], row["count"]) for row in rows] == by_count(this_month)[:5]
    assert [row["job.departmentId.name"] for row in rows] == [names[row["job.departmentId"]] for row in rows]


async def test_show_me_candidates_who_applied_last_month(ashby_execute: Tool, sandbox: Any) -> None:
    now = sandbox.control.now()
    start, end = month_start(now, 1), month_start(now)
    output = await ashby_execute(
        "applications",
        "context_store_aggregate",
        {
            "filter": {"and": [{"gte": {"createdAt": iso(start)}}, {"lt": {"createdAt": iso(end)}}]},
            "group_by": ["candidate.id"],
            "limit": 1000,
        },
    )

    names = {c["id"]: c["name"] for c in sandbox.control.records("candidate")}
    applied = Counter(
        a["candidate"]["id"] for a in sandbox.control.records("application") if created_between(a, start, end)
    )
    rows = answered(output)
    assert applied and {row["candidate.id"]: row["count"] for row in rows} == dict(applied)
    assert all(row["candidate.id.name"] == names[row["candidate.id"]] for row in rows)


# ---------------------------------------------------------------------------------------------- the tool


async def test_describe_gives_one_entitys_params_and_its_store_actions(ashby_execute: Tool) -> None:
    stored = await ashby_execute("applications", "describe", {})
    assert stored["entity"] == "applications"
    actions = {action["action"]: action for action in stored["actions"]}
    for name, op in CATALOG["applications"].operations.items():
        assert [param["name"] for param in actions[name]["params"]] == [param.name for param in op.all_params]
    assert set(STORE_ACTIONS) <= set(actions)

    live_only = await ashby_execute("files", "describe", {})
    assert live_only["entity"] == "files"
    assert {action["action"] for action in live_only["actions"]} == set(CATALOG["files"].operations)


async def test_the_search_alias_runs_context_store_search(ashby_execute: Tool, sandbox: Any) -> None:
    params = {"query": {"filter": {"eq": {"status": "Open"}}, "sort": [{"title": "asc"}]}, "limit": 100}
    short = await ashby_execute("jobs", "search", {**params, "fields": ["id", "title"]})
    full = await ashby_execute("jobs", "context_store_search", {**params, "fields": ["id", "title"]})

    open_jobs = sorted((j["title"], j["id"]) for j in sandbox.control.records("job") if j["status"] == "Open")
    assert open_jobs
    assert [(job["title"], job["id"]) for job in answered(short)] == open_jobs
    assert short["data"] == full["data"]
    assert all(set(job) == {"id", "title"} for job in short["data"])  # the store's own projection


async def test_a_store_action_without_a_store_says_what_to_do_and_creates_no_file(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where the default store file would be created
    auth = AshbyAuthConfig(api_key=sandbox.api_key)
    async with AshbyConnector(auth, base_url=sandbox.url) as connector:
        ashby_execute = tool_for(connector)
        output = await ashby_execute("candidates", "context_store_search", {"limit": 1})
        aggregate = await ashby_execute("candidates", "context_store_aggregate", {})

    error = output["error"]
    assert error["kind"] == "no_context_store"
    assert error["outcome"] == "fix_call"
    for step in ("ashby-agent sync", "connector.replicate()", "context_store=", "ASHBY_AGENT_STORE"):
        assert step in error["message"], step
    assert aggregate["error"]["kind"] == "no_context_store"
    assert os.listdir(tmp_path) == []


async def test_a_cut_aggregate_does_not_send_the_model_to_a_cursor_it_lacks(ashby_execute: Tool) -> None:
    output = await ashby_execute(
        "applications",
        "context_store_aggregate",
        {"group_by": ["candidate.id"], "having": {"gt": {"count": 1}}, "limit": 1000},
    )
    assert output["truncated"]["dropped_records"] > 0  # more groups than the default output budget
    assert output["meta"]["cursor"] is None
    assert "meta.cursor" not in output["truncated"]["note"]


# ---------------------------------------------------------------------------------------------- Pydantic AI


def _returns(messages: list[ModelMessage]) -> list[ToolReturnPart]:
    return [
        part
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, ToolReturnPart)
    ]


@pytest.fixture
def _no_real_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")  # Agent("openai:...") wants one; never sent


@pytest.mark.usefixtures("_no_real_openai")
async def test_a_pydantic_ai_agent_answers_from_the_store(connector: AshbyConnector, sandbox: Any) -> None:
    agent = Agent("openai:gpt-4o")

    @agent.tool_plain
    @AshbyConnector.tool_utils(framework="pydantic_ai", context_store=True)  # type: ignore[untyped-decorator]
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return await connector.execute(entity, action, params or {})

    seen: dict[str, Any] = {}
    call = {"entity": "applications", "action": "context_store_aggregate", "params": {"group_by": ["status"]}}

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen["tools"] = info.function_tools
        if not _returns(messages):
            return ModelResponse(parts=[ToolCallPart("ashby_execute", call)])
        return ModelResponse(parts=[TextPart("done")])

    with agent.override(model=FunctionModel(model)):
        result = await agent.run("How many applications are in each status?")

    assert result.output == "done"
    (tool,) = seen["tools"]
    description = tool.description
    assert description == build_description(context_store=True)
    assert len(description.encode()) < DESCRIPTION_BUDGET_BYTES
    for action in STORE_ACTIONS.values():
        assert f"{action.name}: {action.use}" in description
    (answer,) = _returns(result.all_messages())
    assert answer.outcome == "success"
    content = answer.content if isinstance(answer.content, dict) else json.loads(str(answer.content))
    rows = content["data"]
    statuses = Counter(a["status"] for a in sandbox.control.records("application"))
    assert {row["status"]: row["count"] for row in rows} == dict(statuses)


def test_without_a_store_the_description_has_no_store_lines(connector: AshbyConnector) -> None:
    @AshbyConnector.tool_utils
    async def ashby_execute(entity: str, action: str, params: dict[str, Any] | None = None) -> Any:
        return await connector.execute(entity, action, params or {})

    description = ashby_execute.__doc__ or ""
    assert description == build_description()
    assert "context_store" not in description and "Context store" not in description
    with_store = tool_for(connector).__doc__ or ""
    assert all(name in with_store for name in STORE_ACTIONS)


async def test_a_redaction_policy_hides_personal_data_in_reads_search_aggregates_and_sql(
    connector: AshbyConnector, sandbox: Any
) -> None:
    tool = tool_for(connector, redact=["emails", "phones", "custom:Expected Salary"])
    candidate = sandbox.control.records("candidate")[0]
    email = candidate["primaryEmailAddress"]["value"]
    answers = [
        await tool("candidates", "get", {"id": candidate["id"]}),
        await tool(
            "candidates", "context_store_search", {"query": {"filter": {"eq": {"id": candidate["id"]}}}}
        ),
        await tool(
            "candidates", "context_store_aggregate", {"group_by": ["primaryEmailAddress.value"], "limit": 5}
        ),
        await tool(
            "context_store",
            "context_store_sql_query",
            {"sql": "SELECT name, primary_email_address, phone_numbers FROM candidates LIMIT 5"},
        ),
    ]
    text = json.dumps(answers)
    assert email not in text and "@" not in text
    assert "[redacted]" in json.dumps(answers[0]) and "[redacted]" in json.dumps(answers[3])
    assert candidate["name"] in json.dumps(answers[0])  # only the named categories go
    unredacted = await tool_for(connector)("candidates", "get", {"id": candidate["id"]})
    assert email in json.dumps(unredacted)


def test_an_unknown_redaction_is_refused_naming_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="Unknown redaction 'email'; valid: emails, phones, social_links"):
        tool_utils(redact="email")
