"""``ashby-agent sandbox``: the local Ashby API simulator, in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer

from ashby_agent.cli.output import FAILURE, USAGE, fail

__all__ = ["SCALES", "check_scale", "sandbox"]

#: The sandbox's data sizes (``ashby_agent.sandbox.generate.SCALES``, named here to keep --help cheap).
SCALES = ("small", "medium", "large")


def check_scale(scale: str) -> None:
    if scale not in SCALES:
        fail(f"--scale must be one of {', '.join(SCALES)}, got {scale!r}.", USAGE)


def sandbox(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on, 0-65535 (0 = any free port).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the generated data (same seed, same data).")] = 7,
    scale: Annotated[
        str, typer.Option(help="small (~500 candidates), medium (~10k) or large (>=100k).")
    ] = "small",
    api_key: Annotated[
        list[str] | None,
        typer.Option(
            "--api-key",
            help="KEY or KEY:scope1,scope2 (e.g. k1:candidates:read,jobs:read); repeatable. "
            "Without one, a full-permission key is generated and printed.",
        ),
    ] = None,
) -> None:
    """Run the local Ashby API simulator (same paths, envelopes and errors as api.ashbyhq.com).

    Once listening it prints an export line for ASHBY_API_URL and ASHBY_API_KEY and a curl command.
    """
    if not 0 <= port <= 65535:
        fail(f"--port must be between 0 and 65535 (0 picks a free port), got {port}.", USAGE)
    check_scale(scale)
    from ashby_agent.sandbox.server import SandboxStartError, serve_sandbox

    try:
        serve_sandbox(host=host, port=port, seed=seed, scale=scale, api_keys=api_key or None)
    except SandboxStartError as exc:
        fail(str(exc), USAGE if exc.parameter is not None else FAILURE)
