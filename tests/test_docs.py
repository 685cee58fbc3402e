"""The project's documents stand alone: nothing in them points at files outside the repository.

A reader of README.md, docs/ or examples/ has only the repository: no path into ``../shared``, no section
numbers (``§4.1``) of documents that are not here, and no "the seed" for what we are compatible with
(say "the Airbyte agent connector API" and state the fact itself).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(r"\.\./shared|§|\bthe seed\b", re.IGNORECASE)

#: Files whose remaining hits are being fixed elsewhere: the sandbox's own pages cite sections of Ashby's
#: API reference. Remove an entry once its file is clean (the test then passes for it as for the others).
PENDING: set[str] = set()


def _documents() -> list[str]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted(
        path for path in (ROOT / "examples").rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    return [path.relative_to(ROOT).as_posix() for path in files]


def _param(name: str) -> object:
    if name in PENDING:
        mark = pytest.mark.xfail(
            reason="section numbers of Ashby's API reference still to be replaced", strict=False
        )
        return pytest.param(name, marks=mark)
    return name


def test_the_documents_are_found() -> None:
    documents = _documents()
    assert "README.md" in documents
    assert any(name.startswith("docs/") for name in documents)
    assert any(name.startswith("examples/") for name in documents)


@pytest.mark.parametrize("name", [_param(name) for name in _documents()])
def test_document_stands_alone(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    hits = [
        f"{name}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert not hits, "references to documents outside the repository:\n" + "\n".join(hits)
