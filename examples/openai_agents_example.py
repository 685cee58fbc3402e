"""OpenAI Agents + ashby-agent, end to end against the local sandbox, with a scripted model.

No LLM and no network: ``ScriptedModel`` plays the model (it asks for open jobs, makes a mistake the
tool corrects, then pages with ``meta.cursor``) and the real ``Runner`` runs the tool.
To use it for real, drop ``model=`` (the agent uses an OpenAI model) and build the connector from your
``ASHBY_API_KEY`` instead of the sandbox.

Run: python examples/openai_agents_example.py
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from agents import Agent, Model, ModelResponse, Runner, Usage, function_tool, set_tracing_disabled
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText

from ashby_agent.connectors.ashby import AshbyAuthConfig, AshbyConnector
from ashby_agent.sandbox import run_sandbox


class ScriptedModel(Model):
    """Plays the model: one tool call per turn from ``plan``, then a final answer."""

    def __init__(self) -> None:
        self.outputs: list[Any] = []

    def plan(self, outputs: list[Any]) -> dict[str, Any] | None:
        if not outputs:
            return {
                "entity": "jobs",
                "action": "list",
                "params": {"status": ["Open"], "limit": 3, "fields": ["id", "title"]},
            }
        if len(outputs) == 1:
            return {"entity": "job", "action": "lst"}  # a mistake: the tool answers with the valid choices
        if len(outputs) == 2:
            cursor = outputs[0]["meta"]["cursor"]
            return {
                "entity": "jobs",
                "action": "list",
                "params": {"status": ["Open"], "limit": 3, "cursor": cursor, "fields": ["id", "title"]},
            }
        return None

    async def get_response(
        self, system_instructions: Any, input: Any, *args: Any, **kwargs: Any
    ) -> ModelResponse:
        items = input if isinstance(input, list) else []
        outputs = [
            json.loads(item["output"])
            for item in items
            if isinstance(item, dict) and item.get("type") == "function_call_output"
        ]
        self.outputs = outputs
        call = self.plan(outputs)
        if call is not None:
            n = len(outputs)
            item: Any = ResponseFunctionToolCall(
                type="function_call",
                call_id=f"call_{n}",
                name="ashby_execute",
                arguments=json.dumps(call),
                id=f"fc_{n}",
            )
        else:
            titles = [job["title"] for page in (outputs[0], outputs[2]) for job in page["data"]]
            text = f"Open jobs: {', '.join(titles)}. (The mistake got: {outputs[1]['error']['kind']}.)"
            item = ResponseOutputMessage(
                id="msg_1",
                type="message",
                role="assistant",
                status="completed",
                content=[ResponseOutputText(type="output_text", text=text, annotations=[])],
            )
        return ModelResponse(output=[item], usage=Usage(), response_id=None)

    def stream_response(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


async def main(url: str, api_key: str) -> str:
    connector = AshbyConnector(auth_config=AshbyAuthConfig(api_key=api_key), base_url=url)

    # strict_mode=False because `params: dict` is permissive and the default strict
    # JSON schema rejects objects with additionalProperties.
    @function_tool(strict_mode=False)
    @AshbyConnector.tool_utils(framework="openai_agents")
    async def ashby_execute(entity: str, action: str, params: dict | None = None):
        """Execute Ashby connector operations."""
        result = await connector.execute(entity, action, params or {})
        return result.model_dump(mode="json") if hasattr(result, "model_dump") else result

    agent = Agent(name="Ashby Assistant", tools=[ashby_execute], model=ScriptedModel())
    try:
        result = await Runner.run(agent, "Which jobs are open?")
    finally:
        await connector.aclose()
    return str(result.final_output)


if __name__ == "__main__":
    set_tracing_disabled(True)  # no trace export: nothing leaves the machine
    with run_sandbox(seed=7, scale="small") as sandbox:
        print(asyncio.run(main(sandbox.url, sandbox.api_key)))
