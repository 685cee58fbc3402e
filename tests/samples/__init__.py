"""Ashby wire samples for tests: one JSON file per records module (``tests/samples/<module>.json``).

Each file maps the name of a record class of ``records/<module>.py`` to one object in Ashby's exact
wire form (camelCase keys, millisecond ``Z`` timestamps, omitted and null keys as Ashby sends them).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["MODULES", "sample", "samples"]

_DIRECTORY = Path(__file__).parent

#: The modules that have a sample file.
MODULES: tuple[str, ...] = tuple(sorted(path.stem for path in _DIRECTORY.glob("*.json")))


@cache
def _load(module: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_DIRECTORY / f"{module}.json").read_text(encoding="utf-8"))
    return loaded


def samples(module: str) -> dict[str, Any]:
    """Every sample of ``module`` by record name, as a fresh copy a test may change."""
    return copy.deepcopy(_load(module))


def sample(module: str, name: str) -> Any:
    """One sample, e.g. ``sample("candidates", "Candidate")``, as a fresh copy."""
    return copy.deepcopy(_load(module)[name])
