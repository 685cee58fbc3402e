"""``ashby-agent docs``: documentation generated from the operation catalog."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ashby_agent.cli.output import console, fail

__all__ = ["app"]

app = typer.Typer(help="Generated documentation.", no_args_is_help=True)


@app.command("reference")
def reference(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Render docs/REFERENCE.md from the operation catalog."""
    from ashby_agent.reference_doc import render_reference

    text = render_reference()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}; check the path and its directory.")
    console.print(f"wrote {output}", markup=False)
