"""``ashby-agent demo``: the sandbox started in-process and toured through the connector."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from ashby_agent.cli.output import console, fail
from ashby_agent.cli.sandbox import SCALES, check_scale

__all__ = ["demo"]


def demo(
    seed: Annotated[int, typer.Option(help="Seed of the sandbox data.")] = 7,
    scale: Annotated[str, typer.Option(help=f"Sandbox scale: {', '.join(SCALES)}.")] = "small",
) -> None:
    """Start the sandbox in-process and tour it through the connector (needs no key or network)."""
    check_scale(scale)
    from ashby_agent.demo import run_demo
    from ashby_agent.errors import AshbyAgentError

    try:
        asyncio.run(run_demo(console, seed=seed, scale=scale))
    except AshbyAgentError as exc:
        fail(f"The demo failed: {type(exc).__name__}: {exc}")
