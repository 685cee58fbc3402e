"""``ashby-agent docs reference``: the generated reference, and a path it cannot write."""

from __future__ import annotations

from pathlib import Path

from ashby_agent.reference_doc import render_reference
from tests.cli.outcome import assert_fails, cli


def test_docs_reference_matches_generator(tmp_path: Path) -> None:
    target = tmp_path / "REFERENCE.md"
    outcome = cli("docs", "reference", "-o", str(target))
    assert outcome.code == 0, outcome.stderr
    assert target.read_text(encoding="utf-8") == render_reference()


def test_an_unwritable_path_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "REFERENCE.md"
    assert_fails(cli("docs", "reference", "-o", str(target)), 1, f"Cannot write {target}")
