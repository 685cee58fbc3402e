"""LangChain + ashby-agent, against the local sandbox, with a scripted model.

No LLM and no network: ``scripted_model`` plays a tool-calling chat model (``AIMessage.tool_calls``)
and the loop runs each call through the tool as LangChain agents do (``tool.ainvoke(tool_call)`` ->
``ToolMessage``). To use it for real, use ``ChatOpenAI(...).bind_tools([ashby_execute])`` (or
``create_agent``) and build the connector from your ``ASHBY_API_KEY`` instead of the sandbox.

Run: python examples/langchain_example.py
"""

from __future__ import annotations

import asyncio
import json

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.sandbox import run_sandbox


def scripted_model(messages: list[BaseMessage]) -> AIMessage:
    results = [json.loads(str(m.content)) for m in messages if isinstance(m, ToolMessage)]
    if not results:
        args = {"entity": "departments", "action": "list", "params": {"fields": ["id", "name"]}}
    elif len(results) == 1:
        args = {
            "entity": "departmnts",
            "action": "get",
            "params": {"id": results[0]["data"][0]["id"]},
        }  # a typo
    elif len(results) == 2:
        args = {"entity": "departments", "action": "get", "params": {"id": results[0]["data"][0]["id"]}}
    else:
        names = ", ".join(d["name"] for d in results[0]["data"])
        hint = results[1]["error"]["message"]
        return AIMessage(
            content=f"Departments: {names}. First one: {results[2]['name']}. (Typo fixed after: {hint})"
        )
    return AIMessage(
        content="", tool_calls=[{"name": "ashby_execute", "args": args, "id": f"call_{len(results)}"}]
    )


async def main(url: str, api_key: str) -> str:
    connector = AshbyConnector(auth_config=AshbyAuthConfig(api_key=api_key), base_url=url)

    @tool
    @AshbyConnector.tool_utils
    async def ashby_execute(entity: str, action: str, params: dict | None = None):
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        # connector.execute returns a Pydantic envelope for typed actions; fall back to raw data otherwise.
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    messages: list[BaseMessage] = [HumanMessage("Which departments do we have?")]
    try:
        while True:
            reply = scripted_model(messages)
            messages.append(reply)
            if not reply.tool_calls:
                return str(reply.content)
            for call in reply.tool_calls:
                messages.append(await ashby_execute.ainvoke({**call, "type": "tool_call"}))
    finally:
        await connector.aclose()


if __name__ == "__main__":
    with run_sandbox(seed=7, scale="small") as sandbox:
        print(asyncio.run(main(sandbox.url, sandbox.api_key)))
