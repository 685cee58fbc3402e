"""Pydantic AI + ashby-agent, end to end against the local sandbox, with a scripted model.

No LLM and no network: a ``FunctionModel`` plays the model (it lists candidates, makes a mistake the
tool asks it to correct via ``ModelRetry``, then pages with ``meta.cursor``) and the real ``Agent``
runs the tool. To use it for real, pass ``"openai:gpt-4o"`` (or any model) to ``Agent`` and build the
connector from your ``ASHBY_API_KEY`` instead of the sandbox.

Run: python examples/pydantic_ai_example.py
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

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
from ashby_agent.sandbox import run_sandbox

FIELDS = ["id", "name", "primary_email_address.value"]


def scripted_model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    returns = [
        p for m in messages if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, ToolReturnPart)
    ]
    if not returns:
        call = {"entity": "candidates", "action": "list", "params": {"limit": 2, "fields": FIELDS}}
    elif len(returns) == 1:
        call = {"entity": "candidates", "action": "list", "params": {"limit": 2, "curser": "?"}}  # a typo
    elif len(returns) == 2:
        cursor = _json(returns[0].content)["meta"]["cursor"]
        call = {
            "entity": "candidates",
            "action": "list",
            "params": {"limit": 2, "cursor": cursor, "fields": FIELDS},
        }
    else:
        names = [c["name"] for r in (returns[0], returns[2]) for c in _json(r.content)["data"]]
        return ModelResponse(
            parts=[TextPart(f"First candidates: {', '.join(names)}. Retry said: {returns[1].content}")]
        )
    return ModelResponse(parts=[ToolCallPart("ashby_execute", call)])


def _json(content: Any) -> Any:
    return json.loads(content) if isinstance(content, str) else content


async def main(url: str, api_key: str) -> str:
    connector = AshbyConnector(auth_config=AshbyAuthConfig(api_key=api_key), base_url=url)
    agent = Agent(FunctionModel(scripted_model))

    @agent.tool_plain
    @AshbyConnector.tool_utils(framework="pydantic_ai")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):
        return await connector.execute(entity, action, params or {})

    try:
        result = await agent.run("Who are the first four candidates?")
    finally:
        await connector.aclose()
    return result.output


if __name__ == "__main__":
    with run_sandbox(seed=7, scale="small") as sandbox:
        print(asyncio.run(main(sandbox.url, sandbox.api_key)))
