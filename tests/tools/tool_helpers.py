"""Helpers for the agent-tool tests: what the model sees, parsed (imported by the test modules)."""

from __future__ import annotations

import json
import re
from typing import Any

from ashby_agent.connectors.ashby.catalog import CATALOG

#: A UUID that names no record in any sandbox.
MISSING_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def as_json(content: Any) -> Any:
    """Tool output as data, whether the framework carries it as text or as an object."""
    return json.loads(content) if isinstance(content, str) else content


def names_in_description(text: str) -> list[tuple[str, str, list[str]]]:
    """(entity, action, params) triples of the catalog lines of a tool description."""
    found = []
    for line in text.splitlines():
        head, sep, rest = line.partition(": ")
        if not sep or head not in CATALOG:
            continue
        for op_text in rest.split("; "):
            match = re.fullmatch(r"(\w+)(?:\((.*)\))?((?:\+[ps])*)", op_text)
            assert match, f"unparseable operation {op_text!r} in line {line!r}"
            action, params_text = match.group(1), match.group(2) or ""
            params = []
            for item in filter(None, (part.strip() for part in params_text.split(", "))):
                names = item.split("=")[0].rstrip("*")
                params += names.split("|")
            found.append((head, action, params))
    return found
